import AssayCore

/// The ceilings a roofline is drawn against: the target's declared figures where it gives
/// them, else what the run measured (the same precedence the runner judged cases by).
public struct RooflineCeilings: Sendable {
    public struct Ceiling: Sendable {
        public var value: Double
        public var source: PerformanceRecord.CeilingSource
    }

    /// FLOP/s per dtype.
    public var compute: [String: Ceiling]
    /// Bytes/s of memory.
    public var bandwidth: Ceiling?

    public init(compute: [String: Ceiling] = [:], bandwidth: Ceiling? = nil) {
        self.compute = compute; self.bandwidth = bandwidth
    }

    public init(_ record: RunRecord) {
        var compute: [String: Ceiling] = [:]
        for (dtype, flops) in record.measuredCeilings?.gemmFLOPS ?? [:] where flops.isFinite && flops > 0 {
            compute[dtype] = Ceiling(value: flops, source: .measured)
        }
        for (dtype, tflops) in record.target.value.capabilities.peakTFLOPS where tflops.isFinite && tflops > 0 {
            compute[dtype] = Ceiling(value: tflops * 1e12, source: .declared)
        }
        var bandwidth: Ceiling?
        if let declared = record.target.value.capabilities.bandwidthBytesPerSecond, declared > 0 {
            bandwidth = Ceiling(value: declared, source: .declared)
        } else if let copy = record.measuredCeilings?.copyBytesPerSecond, copy.isFinite, copy > 0 {
            bandwidth = Ceiling(value: copy, source: .measured)
        }
        self.init(compute: compute, bandwidth: bandwidth)
    }
}
