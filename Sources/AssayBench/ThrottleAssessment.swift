import AssayCore

/// Whether telemetry shows the device throttling while it was sampled, so a slow figure is
/// reported as "limited" with the evidence instead of passing for the device's speed.
public struct ThrottleAssessment: Sendable, Equatable {
    /// A sample runs at a low clock below this fraction of the device's maximum clock.
    public static let lowClockFraction = 0.75
    /// A sample is power-limited at or above this fraction of the power limit.
    public static let powerLimitFraction = 0.98

    /// Samples whose SM clock read below 75% of the maximum; nil without a maximum or readings.
    public var lowClockSamples: Int?
    /// Samples that carried a clock reading.
    public var clockReadings: Int
    /// Samples drawing power at the limit; nil without a limit or readings.
    public var powerLimitedSamples: Int?
    /// Samples that carried a power reading.
    public var powerReadings: Int
    /// e.g. "clock below 75% of max in 12/40 samples; power-limited in 3/40 samples"; nil when not limited.
    public var reason: String?

    public var limited: Bool { reason != nil }

    public init(_ telemetry: [TelemetrySample], maxClockMHz: Double?, powerLimitWatts: Double?) {
        let clocks = telemetry.compactMap(\.smClockMHz).filter(\.isFinite)
        let powers = telemetry.compactMap(\.powerWatts).filter(\.isFinite)
        clockReadings = clocks.count
        powerReadings = powers.count
        lowClockSamples = Self.count(clocks, maxClockMHz) { $0 < Self.lowClockFraction * $1 }
        powerLimitedSamples = Self.count(powers, powerLimitWatts) { $0 >= Self.powerLimitFraction * $1 }
        var reasons: [String] = []
        if let low = lowClockSamples, low > 0 {
            reasons.append("clock below \(Int(Self.lowClockFraction * 100))% of max in \(low)/\(clockReadings) samples")
        }
        if let limited = powerLimitedSamples, limited > 0 {
            reasons.append("power-limited in \(limited)/\(powerReadings) samples")
        }
        reason = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// How many readings meet `condition` against a positive `ceiling`; nil when there is none to judge.
    private static func count(_ readings: [Double], _ ceiling: Double?, _ condition: (Double, Double) -> Bool) -> Int? {
        guard let ceiling, ceiling > 0, !readings.isEmpty else { return nil }
        return readings.filter { condition($0, ceiling) }.count
    }
}
