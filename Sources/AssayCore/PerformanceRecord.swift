/// Everything measured for one performance case: how it was sampled, every raw sample,
/// the statistics, whether the stopping rule converged and why it stopped, the device's
/// state while sampling, and (filled by the runner from the op's work model) the
/// throughput against the target's ceilings.
///
/// Produced by `AssayBench.Sampler`; the work-model fields by `applyWorkModel` in AssayBench.
public struct PerformanceRecord: Codable, Sendable, Equatable {
    /// Which timer produced `elapsed`: the harness's host clock, or the device's own
    /// (CUDA/NPU events), which sees no launch overhead and so needs shorter samples.
    public enum TimerKind: String, Codable, Sendable, CaseIterable {
        case host
        case device
    }

    /// Which ceiling limits the op at its arithmetic intensity.
    public enum Bound: String, Codable, Sendable, CaseIterable {
        case compute
        case memory
    }

    /// Where the roofline's ceilings came from: the target descriptor, or probes run on it.
    public enum CeilingSource: String, Codable, Sendable, CaseIterable {
        case declared
        case measured
    }

    public var mode: PerformanceMode
    public var timerKind: TimerKind
    /// Calls per sample (the inner batch); 1 in cold mode.
    public var k: Int
    /// Number of kept samples.
    public var n: Int
    /// Untimed calls made before the first kept sample: warm-up plus batch sizing.
    public var warmupCalls: Int
    /// Every sample, in order taken, as nanoseconds per call (elapsed / k). Never filtered.
    public var samples: [Double]
    public var summary: SummaryStatistics
    /// True when the median's CI reached the target half-width.
    public var converged: Bool
    /// Why sampling stopped, e.g. "converged at ±0.8%" or "noise plateau at ±3.4%".
    public var stopReason: String
    /// Wall time of the whole case, warm-up included.
    public var totalSeconds: Double
    /// Sum of the kept samples' elapsed times.
    public var measuredSeconds: Double

    /// Ranges of the device telemetry over the kept samples; nil when none was reported.
    public var telemetry: TelemetrySample.Ranges?
    /// The device's maximum clock the samples were judged against.
    public var maxClockMHz: Double?
    /// Samples whose clock read below 75% of `maxClockMHz`; nil when either is unknown.
    public var lowClockSamples: Int?
    /// True when telemetry shows the device throttled (low clock, power at its limit).
    public var limited: Bool
    /// e.g. "clock below 75% of max in 12/40 samples; power-limited in 3/40 samples".
    public var limitReason: String?

    // The work model (nil until the runner applies one; percentages nil without ceilings).
    /// Floating-point operations per call.
    public var flops: Double?
    /// Minimum bytes moved per call.
    public var bytes: Double?
    public var flopsPerSecond: Double?
    public var bytesPerSecond: Double?
    /// flops / bytes.
    public var arithmeticIntensity: Double?
    /// FLOP/s as a percentage (0–100) of the compute peak.
    public var percentOfPeak: Double?
    /// Throughput as a percentage (0–100) of the roofline at this arithmetic intensity.
    public var percentOfRoofline: Double?
    public var bound: Bound?
    public var ceilingSource: CeilingSource?
    /// True when a figure came out above its ceiling: the percentages are then 100, measured
    /// against the achieved figure, and the ceiling is known to understate the target.
    public var ceilingBelowAchieved: Bool? = nil

    /// A percentage as reports and certificates may show it: never above 100.
    public static func honestPercent(_ value: Double?) -> Double? { value.map { Swift.min($0, 100) } }

    /// Whether the ceilings were flagged, or a record from before the flag holds a figure above 100.
    public var exceedsCeiling: Bool {
        ceilingBelowAchieved == true || (percentOfPeak ?? 0) > 100 || (percentOfRoofline ?? 0) > 100
    }

    /// Per-round statistics when the case was measured in rounds; nil for a single-round case
    /// (and in records written before rounds existed), whose samples are all one round.
    public var rounds: [RoundStatistics]?

    /// Energy of the measured calls, or why it is not available; nil in records from before energy.
    public var energy: EnergyRecord? = nil

    public init(
        mode: PerformanceMode,
        timerKind: TimerKind,
        k: Int,
        n: Int,
        warmupCalls: Int,
        samples: [Double],
        summary: SummaryStatistics,
        converged: Bool,
        stopReason: String,
        totalSeconds: Double,
        measuredSeconds: Double,
        telemetry: TelemetrySample.Ranges? = nil,
        maxClockMHz: Double? = nil,
        lowClockSamples: Int? = nil,
        limited: Bool = false,
        limitReason: String? = nil,
        flops: Double? = nil,
        bytes: Double? = nil,
        flopsPerSecond: Double? = nil,
        bytesPerSecond: Double? = nil,
        arithmeticIntensity: Double? = nil,
        percentOfPeak: Double? = nil,
        percentOfRoofline: Double? = nil,
        bound: Bound? = nil,
        ceilingSource: CeilingSource? = nil,
        rounds: [RoundStatistics]? = nil
    ) {
        self.mode = mode
        self.timerKind = timerKind
        self.k = k
        self.n = n
        self.warmupCalls = warmupCalls
        self.samples = samples
        self.summary = summary
        self.converged = converged
        self.stopReason = stopReason
        self.totalSeconds = totalSeconds
        self.measuredSeconds = measuredSeconds
        self.telemetry = telemetry
        self.maxClockMHz = maxClockMHz
        self.lowClockSamples = lowClockSamples
        self.limited = limited
        self.limitReason = limitReason
        self.flops = flops
        self.bytes = bytes
        self.flopsPerSecond = flopsPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.arithmeticIntensity = arithmeticIntensity
        self.percentOfPeak = percentOfPeak
        self.percentOfRoofline = percentOfRoofline
        self.bound = bound
        self.ceilingSource = ceilingSource
        self.rounds = rounds
    }

    /// The samples split by round, in order, rounds without samples left out; one group when
    /// the record has no rounds, or when the rounds' counts do not add up to the samples.
    public var roundSamples: [[Double]] {
        guard let rounds, rounds.count > 1, rounds.reduce(0, { $0 + $1.samples }) == samples.count else {
            return [samples]
        }
        var start = 0
        return rounds.map { round in
            defer { start += round.samples }
            return Array(samples[start..<(start + round.samples)])
        }.filter { !$0.isEmpty }
    }
}
