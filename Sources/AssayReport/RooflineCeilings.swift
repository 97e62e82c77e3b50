import AssayBench
import AssayCore

/// The ceilings a roofline is drawn against: the target's declared figures where it gives
/// them, else what the run measured (`CeilingPrecedence`, the rule the runner judged cases by).
public struct RooflineCeilings: Sendable {
    public struct Ceiling: Sendable {
        public var value: Double
        public var source: PerformanceRecord.CeilingSource
        /// The ceiling was below a case's achieved figure, so it is drawn at that figure instead.
        public var raised = false

        /// `(declared)`, or `(measured; ceiling below achieved: drawn at the achieved figure)`.
        public var note: String {
            "(\(source.rawValue)" + (raised ? "; \(Figures.ceilingBelowAchieved): drawn at the achieved figure)" : ")")
        }
    }

    /// FLOP/s per dtype.
    public var compute: [String: Ceiling]
    /// Bytes/s of memory.
    public var bandwidth: Ceiling?

    public init(compute: [String: Ceiling] = [:], bandwidth: Ceiling? = nil) {
        self.compute = compute
        self.bandwidth = bandwidth
    }

    public init(_ record: RunRecord) {
        let precedence = CeilingPrecedence(
            declared: record.target.value.capabilities,
            measured: record.measuredCeilings
        )
        var compute = precedence.peaks.mapValues { Ceiling(value: $0.value, source: $0.source) }
        var bandwidth = precedence.bandwidth.map { Ceiling(value: $0.value, source: $0.source) }
        // No point may sit above its roof: a ceiling below what a case achieved is raised to it.
        for result in record.cases where result.outcome == .pass {
            guard let performance = result.performance else { continue }
            if let rate = performance.flopsPerSecond, rate.isFinite, let ceiling = compute[result.dtype],
                rate > ceiling.value
            {
                compute[result.dtype] = Ceiling(value: rate, source: ceiling.source, raised: true)
            }
            if let rate = performance.bytesPerSecond, rate.isFinite, let ceiling = bandwidth, rate > ceiling.value {
                bandwidth = Ceiling(value: rate, source: ceiling.source, raised: true)
            }
        }
        self.init(compute: compute, bandwidth: bandwidth)
    }
}
