/// The energy a performance case's measured calls took, read from a cumulative hardware counter
/// (Linux powercap/RAPL or hwmon), or why no counter could be read.
///
/// The counters cover a whole domain (a CPU package, the platform), so on a shared machine they
/// include whatever else ran at the time: a figure to compare on a quiet machine, as times are.
public struct EnergyRecord: Codable, Sendable, Equatable {
    /// Which counters were summed, e.g. "powercap intel-rapl:0 (package-0)".
    public var source: String?
    /// Joules over `calls` calls; nil when unavailable.
    public var joules: Double?
    /// Calls made while the counters ran (warm-up and discarded batches included).
    public var calls: Int?
    /// Wall time between the two counter readings.
    public var seconds: Double?
    /// Why there is no figure, e.g. "/sys/class/powercap: no such folder".
    public var unavailable: String?

    public init(source: String, joules: Double, calls: Int, seconds: Double) {
        self.source = source
        self.joules = joules
        self.calls = calls
        self.seconds = seconds
    }

    private init(unavailable reason: String) { unavailable = reason }

    public static func notAvailable(_ reason: String) -> EnergyRecord { EnergyRecord(unavailable: reason) }

    public var joulesPerCall: Double? {
        guard let joules, let calls, calls > 0 else { return nil }
        return joules / Double(calls)
    }

    /// Mean power over the measurement.
    public var watts: Double? {
        guard let joules, let seconds, seconds > 0 else { return nil }
        return joules / seconds
    }

    /// Work per joule (FLOP/s per watt, or bytes/s per watt, are the same figure).
    public func perJoule(workPerCall: Double?) -> Double? {
        guard let workPerCall, let perCall = joulesPerCall, perCall > 0 else { return nil }
        return workPerCall / perCall
    }

    /// Two rounds of one case: their joules, calls and seconds added (unavailable if either is).
    public func adding(_ next: EnergyRecord) -> EnergyRecord {
        guard let joules, let calls, let seconds, let source,
            let moreJoules = next.joules, let moreCalls = next.calls, let moreSeconds = next.seconds
        else {
            return unavailable != nil ? self : next
        }
        return EnergyRecord(
            source: source,
            joules: joules + moreJoules,
            calls: calls + moreCalls,
            seconds: seconds + moreSeconds
        )
    }
}
