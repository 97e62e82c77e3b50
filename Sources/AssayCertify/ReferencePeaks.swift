import AssayBench
import AssayCore

/// The ceilings a reference run shows, standing in for declared peaks: per dtype the best
/// FLOP/s it reached (its GEMM probe or any passed case), and the best bytes/s (its copy probe
/// or any passed case that does no arithmetic or is memory-bound). Each is something the
/// reference machine achieved, so a figure against it says how close this target comes.
public struct ReferencePeaks: Sendable, Equatable {
    /// As the profile names it, and the digest it pins.
    public var path: String
    public var sha256: String
    public var flopsPerSecond: [String: Double]
    public var bytesPerSecond: Double?

    public init(path: String, sha256: String, flopsPerSecond: [String: Double], bytesPerSecond: Double?) {
        self.path = path
        self.sha256 = sha256
        self.flopsPerSecond = flopsPerSecond
        self.bytesPerSecond = bytesPerSecond
    }

    public init(record: RunRecord, path: String, sha256: String) {
        var flops = record.measuredCeilings?.gemmFLOPS ?? [:]
        var bytes = record.measuredCeilings?.copyBytesPerSecond
        for result in record.cases where result.outcome == .pass {
            guard let performance = result.performance else { continue }
            if let rate = performance.flopsPerSecond, rate.isFinite, rate > 0, (performance.flops ?? 0) > 0 {
                flops[result.dtype] = max(flops[result.dtype] ?? 0, rate)
            }
            if let rate = performance.bytesPerSecond, rate.isFinite, rate > 0,
                (performance.flops ?? 0) == 0 || performance.bound == .memory
            {
                bytes = max(bytes ?? 0, rate)
            }
        }
        self.init(
            path: path,
            sha256: sha256,
            flopsPerSecond: flops.filter { $0.value.isFinite && $0.value > 0 },
            bytesPerSecond: bytes
        )
    }

    /// The roofline a case of `dtype` is judged against.
    public func roofline(for dtype: String) -> Roofline {
        Roofline(peakFLOPsPerSecond: flopsPerSecond[dtype], bandwidthBytesPerSecond: bytesPerSecond)
    }

    /// The record's figures against the reference, from its work model at the median time per
    /// call (as the runner computes them against declared peaks); nil without a work model.
    public func point(for record: PerformanceRecord, dtype: String) -> RooflinePoint? {
        guard let flops = record.flops, let bytes = record.bytes, record.summary.n > 0 else { return nil }
        return roofline(for: dtype).evaluate(flops: flops, bytes: bytes, seconds: record.summary.median / 1e9)
    }
}
