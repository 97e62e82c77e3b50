import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import Foundation

/// The `sustained_load` burn-in: back-to-back GEMM on every device at once (every rank of a
/// multi-rank target) for the declared duration, recording the GEMM rate and the telemetry
/// (clock, power, temperature) over time. It fails when the rate decays by more than
/// `max_decay` between the first and the last window (a minute, or a fifth of a shorter run),
/// or when the SM clock falls below `min_clock_fraction` of the device's maximum.
enum SustainedLoad {
    /// One device's trace: the GEMM rate of each sample at the time it ended, and its telemetry.
    struct Trace: Sendable {
        var points: [(seconds: Double, flopsPerSecond: Double)] = []
        var telemetry: [TelemetrySample] = []
    }

    /// Seconds per timed sample: long enough for a stable rate, short enough for a fine trace.
    static let sampleSeconds = 0.25

    static func expected(_ spec: SustainedLoadSpec) -> String {
        var text = String(
            format: "GEMM %@ %d³ for %g s on every device; rate decays ≤ %g%% from the first to the last window",
            spec.dtype.rawValue,
            spec.size,
            spec.durationSeconds,
            spec.maxDecay * 100
        )
        if let floor = spec.minClockFraction { text += String(format: "; SM clock ≥ %g%% of max", floor * 100) }
        return text
    }

    static func measure(
        _ backend: Backend,
        identity: BackendIdentity,
        spec: SustainedLoadSpec
    ) throws -> DeviceCheck.Measurement {
        let problem = try OpCatalogue.standard.problem(
            op: "matmul",
            params: ["m": .int(spec.size), "n": .int(spec.size), "k": .int(spec.size)],
            attrs: [:],
            dtype: spec.dtype
        )
        guard identity.supports(op: "matmul", dtype: spec.dtype) else {
            throw BackendError.unsupported("backend \(identity.name) does not declare matmul in \(spec.dtype.rawValue)")
        }
        let traces: [Trace]
        if let group = backend as? RankGroup {
            traces = try group.everyRank { rank, _ in try load(rank, problem: problem, seconds: spec.durationSeconds) }
        } else {
            traces = [try load(backend, problem: problem, seconds: spec.durationSeconds)]
        }
        return judge(traces, spec: spec, maxClockMHz: identity.devices.first?.maxClockMHz)
    }

    /// Back-to-back benchmark requests until `seconds` have passed; k sized to `sampleSeconds`.
    static func load(_ backend: Backend, problem: OpProblem, seconds: Double) throws -> Trace {
        let start = Date()
        var trace = Trace()
        var k = 1
        func request(k: Int, samples: Int) throws -> [MeasuredSample] {
            try backend.benchmark(BenchmarkRequest(problem: problem, seed: 1, mode: .warm, k: k, samples: samples))
        }
        _ = try request(k: 1, samples: 1)  // warm-up: allocation, first touch
        while Date().timeIntervalSince(start) < seconds {
            let samples = try request(k: k, samples: 2)
            let now = Date().timeIntervalSince(start)
            for sample in samples where sample.elapsedNanoseconds > 0 {
                trace.points.append((now, problem.flops * Double(k) / sample.elapsedNanoseconds * 1e9))
                if let telemetry = sample.telemetry { trace.telemetry.append(telemetry) }
            }
            let perCall = (samples.map(\.elapsedNanoseconds).min() ?? 1e9) / Double(k) / 1e9
            k = max(1, min(1 << 20, Int(sampleSeconds / max(perCall, 1e-9))))
        }
        return trace
    }

    /// The verdict over every device's trace: the worst decay and the lowest clock count.
    static func judge(_ traces: [Trace], spec: SustainedLoadSpec, maxClockMHz: Double?) -> DeviceCheck.Measurement {
        var figures: [String: Double] = ["devices": Double(traces.count), "duration_s": spec.durationSeconds]
        var notes: [String] = []
        var holds = true
        var worstDecay = -Double.infinity
        var firstRates: [Double] = []
        var lastRates: [Double] = []
        for (index, trace) in traces.enumerated() {
            guard let end = trace.points.last?.seconds, trace.points.count >= 2 else {
                notes.append("device \(index): too few samples to compare windows")
                holds = false
                continue
            }
            let window = min(60, end / 5)
            let first = trace.points.filter { $0.seconds <= window }.map(\.flopsPerSecond)
            let last = trace.points.filter { $0.seconds >= end - window }.map(\.flopsPerSecond)
            let firstMedian = Statistics.quantile(
                sorted: (first.isEmpty ? [trace.points[0].flopsPerSecond] : first).sorted(),
                0.5
            )
            let lastMedian = Statistics.quantile(
                sorted: (last.isEmpty ? [trace.points[trace.points.count - 1].flopsPerSecond] : last).sorted(),
                0.5
            )
            let decay = 1 - lastMedian / firstMedian
            worstDecay = max(worstDecay, decay)
            firstRates.append(firstMedian)
            lastRates.append(lastMedian)
            if decay > spec.maxDecay {
                holds = false
                notes.append(
                    String(
                        format: "device %d: GEMM rate fell %.1f%% (%@ → %@)",
                        index,
                        decay * 100,
                        rate(firstMedian),
                        rate(lastMedian)
                    )
                )
            }
        }
        if worstDecay.isFinite { figures["decay"] = worstDecay }
        if let low = firstRates.min() { figures["first_window_flops"] = low }
        if let low = lastRates.min() { figures["last_window_flops"] = low }
        let telemetry = traces.flatMap(\.telemetry)
        let clocks = telemetry.compactMap(\.smClockMHz)
        let power = telemetry.compactMap(\.powerWatts)
        let heat = telemetry.compactMap(\.temperatureC)
        if let low = clocks.min(), let high = clocks.max() {
            figures["min_sm_clock_mhz"] = low
            figures["max_sm_clock_mhz"] = high
        }
        if let low = power.min(), let high = power.max() {
            figures["min_power_w"] = low
            figures["max_power_w"] = high
        }
        if let low = heat.min(), let high = heat.max() {
            figures["min_temperature_c"] = low
            figures["max_temperature_c"] = high
        }
        if let floor = spec.minClockFraction {
            if let low = clocks.min(), let maxClockMHz, maxClockMHz > 0 {
                if low < floor * maxClockMHz {
                    holds = false
                    notes.append(
                        String(
                            format: "throttled: SM clock down to %.0f MHz (%.0f%% of %.0f MHz)",
                            low,
                            low / maxClockMHz * 100,
                            maxClockMHz
                        )
                    )
                }
            } else {
                notes.append("no SM clock telemetry: the clock floor was not checked")
            }
        }
        var observed = String(
            format: "%d device(s), %g s: GEMM %@ first window, %@ last window (worst decay %.1f%%)",
            traces.count,
            spec.durationSeconds,
            rate(firstRates.min() ?? .nan),
            rate(lastRates.min() ?? .nan),
            worstDecay * 100
        )
        if let low = clocks.min(), let high = clocks.max() {
            observed += String(format: "; SM clock %.0f–%.0f MHz", low, high)
        }
        if let low = power.min(), let high = power.max() {
            observed += String(format: "; power %.0f–%.0f W", low, high)
        }
        if let low = heat.min(), let high = heat.max() { observed += String(format: "; %.0f–%.0f °C", low, high) }
        if !notes.isEmpty { observed += "; " + notes.joined(separator: "; ") }
        return DeviceCheck.Measurement(observed: observed, figures: figures, holds: holds)
    }

    private static func rate(_ value: Double) -> String {
        value.isFinite ? String(format: "%.3g GFLOP/s", value / 1e9) : "—"
    }
}
