import AssayCore

/// The roofline model of a target: attainable(AI) = min(peak, AI × bandwidth).
///
/// An op is judged against the ceiling that binds at its arithmetic intensity: a
/// memory-bound op (AI × bandwidth < peak) against bandwidth, a compute-bound one against
/// peak, and an op without FLOPs (copy, transpose, embedding) only against bandwidth —
/// never a memory-bound op against compute peak. A missing ceiling makes the figures
/// that need it nil.
public struct Roofline: Sendable, Equatable {
    /// Compute peak in FLOP/s (for the case's dtype).
    public let peakFLOPsPerSecond: Double?
    /// Memory bandwidth in bytes/s.
    public let bandwidthBytesPerSecond: Double?

    public init(peakFLOPsPerSecond: Double?, bandwidthBytesPerSecond: Double?) {
        self.peakFLOPsPerSecond = Self.positive(peakFLOPsPerSecond)
        self.bandwidthBytesPerSecond = Self.positive(bandwidthBytesPerSecond)
    }

    /// Attainable FLOP/s at arithmetic intensity `ai` (FLOPs/byte); nil unless both ceilings are known.
    public func attainable(arithmeticIntensity ai: Double) -> Double? {
        guard let peak = peakFLOPsPerSecond, let bandwidth = bandwidthBytesPerSecond, ai.isFinite, ai >= 0 else {
            return nil
        }
        return Swift.min(peak, ai * bandwidth)
    }

    /// Judges an op doing `flops` and moving `bytes` per call in `seconds` per call.
    /// Negative, non-finite or zero-time inputs give an empty point.
    public func evaluate(flops: Double, bytes: Double, seconds: Double) -> RooflinePoint {
        guard flops.isFinite, bytes.isFinite, seconds.isFinite, flops >= 0, bytes >= 0, seconds > 0 else {
            return RooflinePoint()
        }
        let flopRate = flops / seconds
        let byteRate = bytes / seconds
        let ai = bytes > 0 ? flops / bytes : nil
        var point = RooflinePoint(flopsPerSecond: flopRate, bytesPerSecond: byteRate, arithmeticIntensity: ai)
        if flops > 0, let peak = peakFLOPsPerSecond { point.percentOfPeak = 100 * flopRate / peak }

        if flops == 0, bytes == 0 { return Self.capped(point) }
        // Which ceiling binds: a zero-FLOP op is pure traffic, a zero-byte op pure compute;
        // otherwise compare the bandwidth roof at this intensity with the peak.
        if flops == 0 {
            point.bound = .memory
        } else if bytes == 0 {
            point.bound = .compute
        } else if let ai, let peak = peakFLOPsPerSecond, let bandwidth = bandwidthBytesPerSecond {
            point.bound = ai * bandwidth < peak ? .memory : .compute
        }
        switch point.bound {
        case .memory:
            if let bandwidth = bandwidthBytesPerSecond { point.percentOfRoofline = 100 * byteRate / bandwidth }
        case .compute: if let peak = peakFLOPsPerSecond { point.percentOfRoofline = 100 * flopRate / peak }
        case nil: break
        }
        return Self.capped(point)
    }

    /// Above 100% means the ceiling is below what was achieved (a measured ceiling that
    /// understates the target, or a wrong datasheet figure): the achieved figure is then the
    /// ceiling (100%), and the point says so.
    static func capped(_ point: RooflinePoint) -> RooflinePoint {
        var point = point
        for keyPath in [\RooflinePoint.percentOfPeak, \RooflinePoint.percentOfRoofline] {
            if let value = point[keyPath: keyPath], value > 100 {
                point[keyPath: keyPath] = 100
                point.ceilingBelowAchieved = true
            }
        }
        return point
    }

    /// A ceiling that is not a positive finite number is no ceiling.
    private static func positive(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value > 0 else { return nil }
        return value
    }
}
