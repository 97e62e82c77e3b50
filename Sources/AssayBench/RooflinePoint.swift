import AssayCore

/// Where one measured op sits on a roofline. Every field is nil where it cannot be known
/// (no ceiling, no time, no bytes), never NaN or infinite.
public struct RooflinePoint: Sendable, Equatable {
    public var flopsPerSecond: Double?
    public var bytesPerSecond: Double?
    /// FLOPs per byte moved; nil when the op moves no bytes.
    public var arithmeticIntensity: Double?
    /// FLOP/s as a percentage (0–100) of the compute peak; nil for zero-FLOP ops or without a peak.
    public var percentOfPeak: Double?
    /// Throughput as a percentage (0–100) of the ceiling that binds at this intensity.
    public var percentOfRoofline: Double?
    public var bound: PerformanceRecord.Bound?
    /// A figure came out above its ceiling, so the ceiling understates the target: the
    /// percentage is reported as 100 against the achieved figure, with this flag, never above.
    public var ceilingBelowAchieved = false

    /// The achieved figures; the percentages and the bound are set by `Roofline.evaluate`.
    public init(flopsPerSecond: Double? = nil, bytesPerSecond: Double? = nil, arithmeticIntensity: Double? = nil) {
        self.flopsPerSecond = flopsPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.arithmeticIntensity = arithmeticIntensity
    }
}
