import AssayCore

/// Drives the measurement of one performance case through an injected closure, so the
/// native CPU backend (timing with the host clock) and out-of-process plugins (timing with
/// the device's events) share one sampling discipline.
///
/// Steps, all within the stopping rule's time cap counted from the start (warm-up included):
/// 1. warm-up: at least `warmupMinCalls` calls and `warmupMinSeconds` of wall time (lazy
///    initialisation, page faults, JIT, clocks ramping up); in warm mode the calls per
///    warm-up request double (bounded by the warm-up time left), so a fast op does not
///    pay one closure round trip per call;
/// 2. inner batch k (warm mode): google-benchmark's growth rule — starting at k = 1, take
///    one probe sample; while it is shorter than the sample floor (1 ms host, 50 µs
///    device), grow k ×10, bounded by the projected need k·1.4·floor/elapsed but at
///    least ×2. In cold mode k = 1: each sample is one call after a cache flush;
/// 3. samples in batches of `batchSize`, growing to `batchFraction`·n on long cases (so
///    the sorted copy is merged in O(n) per decision, not O(n) per sample), fewer when the
///    time left fits fewer, until the stopping rule stops.
///
/// The closure owns what happens around each sample: in cold mode it flushes caches
/// (e.g. `CacheFlusher`) before each one, untimed. The injected clock only accounts
/// wall time (warm-up, cap); the samples' elapsed times come from the closure.
public struct Sampler {
    /// Runs `k` calls back to back `samples` times and returns one sample per run.
    public typealias Measure = (_ k: Int, _ samples: Int) throws -> [MeasuredSample]

    public var configuration: Configuration
    private let clock: any NanosecondClock
    private let measure: Measure

    public init(
        configuration: Configuration = Configuration(),
        clock: any NanosecondClock = MonotonicClock(),
        measure: @escaping Measure
    ) {
        self.configuration = configuration
        self.clock = clock
        self.measure = measure
    }

    /// Samples the case until the stopping rule stops; errors from the closure propagate.
    public func run() throws -> PerformanceRecord {
        let rule = configuration.stoppingRule
        let start = clock.nanoseconds()
        func elapsed() -> Double { Double(clock.nanoseconds() &- start) / 1e9 }
        func fits(_ seconds: Double) -> Bool { elapsed() + seconds <= rule.timeCapSeconds }

        var untimedCalls = 0
        // Wall seconds per call, learnt from the last request (0 before the first).
        var callSeconds = 0.0
        func timed(k: Int, samples: Int) throws -> [MeasuredSample] {
            let before = clock.nanoseconds()
            let batch = try checked(measure(k, samples), requested: samples)
            callSeconds = Double(clock.nanoseconds() &- before) / 1e9 / Double(k * samples)
            return batch
        }

        // 1. Warm-up.
        var warmK = 1
        var capped = false
        while untimedCalls < configuration.warmupMinCalls || elapsed() < configuration.warmupMinSeconds {
            guard fits(Double(warmK) * callSeconds) else {
                capped = true
                break
            }
            _ = try timed(k: warmK, samples: 1)
            untimedCalls += warmK
            if configuration.mode == .warm {
                let left = configuration.warmupMinSeconds - elapsed()
                let byTime =
                    callSeconds > 0
                    ? Int(Swift.min(left / callSeconds, Double(configuration.maxK))) : configuration.maxK
                warmK = Swift.max(1, Swift.min(2 * warmK, byTime, configuration.maxK))
            }
        }

        // 2. Inner batch.
        var k = 1
        if configuration.mode == .warm, !capped {
            let floor = configuration.sampleFloorNanoseconds
            while true {
                guard fits(Double(k) * callSeconds) else {
                    capped = true
                    break
                }
                let probe = try timed(k: k, samples: 1)[0].elapsedNanoseconds
                untimedCalls += k
                if probe >= floor || k >= configuration.maxK { break }
                let projected = probe > 0 ? (Double(k) * floor * 1.4 / probe).rounded(.up) : .infinity
                let grown = Swift.max(2 * Double(k), Swift.min(10 * Double(k), projected))
                k = Int(Swift.min(grown, Double(configuration.maxK)))
            }
        }

        // 3. Samples.
        var samples: [Double] = []
        var sorted: [Double] = []
        var telemetry: [TelemetrySample] = []
        var measuredNanoseconds = 0.0
        var history: [StoppingRule.Observation] = []
        var decision = StoppingDecision.continue
        while !capped {
            let sampleSeconds = Double(k) * callSeconds
            let room =
                sampleSeconds > 0 ? (rule.timeCapSeconds - elapsed()) / sampleSeconds : Double(configuration.batchSize)
            let wanted = Swift.max(configuration.batchSize, Int(configuration.batchFraction * Double(samples.count)), 1)
            let count = Int(Swift.min(Double(wanted), room.rounded(.down)))
            guard count >= 1 else {
                capped = true
                break
            }
            let batch = try timed(k: k, samples: count)
            let perCall = batch.map { $0.elapsedNanoseconds / Double(k) }
            samples += perCall
            sorted = Self.merge(sorted, perCall.sorted())
            measuredNanoseconds += batch.reduce(0) { $0 + $1.elapsedNanoseconds }
            telemetry += batch.compactMap(\.telemetry)
            let median = Statistics.quantile(sorted: sorted, 0.5)
            let interval = Statistics.medianInterval(sorted: sorted)
            history.append(
                .init(
                    n: samples.count,
                    measuredSeconds: measuredNanoseconds / 1e9,
                    elapsedSeconds: elapsed(),
                    relativeHalfWidth: Statistics.relativeHalfWidth(interval, median: median)
                )
            )
            decision = rule.decide(history)
            if decision.stops { break }
        }

        let summary = Statistics.summarize(sorted: sorted)
        var stopReason: String =
            switch decision {
            case .converged: rule.convergedReason(relativeHalfWidth: summary.medianCIRelativeHalfWidth)
            case let .plateau(reason), let .timeCap(reason): reason
            case .continue: rule.timeCapReason(relativeHalfWidth: history.last?.relativeHalfWidth)
            }
        // A median of two modes converges to the commoner one: never report that as converged.
        let bimodality = Bimodality.assess(sorted: sorted)
        if let bimodality { stopReason = "\(bimodality.reason); \(stopReason)" }
        let throttle = ThrottleAssessment(
            telemetry,
            maxClockMHz: configuration.maxClockMHz,
            powerLimitWatts: configuration.powerLimitWatts
        )
        return PerformanceRecord(
            mode: configuration.mode,
            timerKind: configuration.timerKind,
            k: k,
            n: samples.count,
            warmupCalls: untimedCalls,
            samples: samples,
            summary: summary,
            converged: decision.isConverged && bimodality == nil,
            stopReason: stopReason,
            totalSeconds: elapsed(),
            measuredSeconds: measuredNanoseconds / 1e9,
            telemetry: TelemetrySample.Ranges(telemetry),
            maxClockMHz: configuration.maxClockMHz,
            lowClockSamples: throttle.lowClockSamples,
            limited: throttle.limited,
            limitReason: throttle.reason
        )
    }

    /// Rejects a batch a buggy backend could use to corrupt the statistics. This guards the
    /// in-process sources of `measure` (the native backend's host clock, a rank group's slowest
    /// rank, test doubles); a plugin's samples were already validated, once, when its reply was
    /// decoded (`PluginMessage`: count, each positive and finite), so for them this never fires.
    private func checked(_ batch: [MeasuredSample], requested: Int) throws -> [MeasuredSample] {
        guard batch.count == requested else {
            throw SamplerError.wrongSampleCount(requested: requested, received: batch.count)
        }
        if let bad = batch.first(where: { !$0.elapsedNanoseconds.isFinite || $0.elapsedNanoseconds < 0 }) {
            throw SamplerError.invalidElapsed(bad.elapsedNanoseconds)
        }
        return batch
    }

    /// The ascending merge of two ascending arrays.
    static func merge(_ a: [Double], _ b: [Double]) -> [Double] {
        var merged: [Double] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if b[j] < a[i] {
                merged.append(b[j])
                j += 1
            } else {
                merged.append(a[i])
                i += 1
            }
        }
        merged += a[i...]
        merged += b[j...]
        return merged
    }
}
