import AssayCore
import Foundation

/// How numbers read in reports: three significant digits with SI prefixes, durations in the
/// unit that fits, and "nan"/"inf" spelled as the run record spells them.
public enum Figures {
    /// Nanoseconds per call as `812 ns`, `5.74 ms`, `1.20 s`.
    public static func duration(nanoseconds ns: Double) -> String {
        guard ns.isFinite else { return special(ns) }
        let magnitude = abs(ns)
        if magnitude < 1e3 { return "\(significant(ns)) ns" }
        if magnitude < 1e6 { return "\(significant(ns / 1e3)) µs" }
        if magnitude < 1e9 { return "\(significant(ns / 1e6)) ms" }
        return "\(significant(ns / 1e9)) s"
    }

    /// A rate with an SI prefix: `46.8 GFLOP/s`, `59.3 GB/s`.
    public static func rate(_ value: Double, unit: String) -> String {
        guard value.isFinite else { return "\(special(value)) \(unit)" }
        let prefixes: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, prefix) in prefixes where abs(value) >= scale {
            return "\(significant(value / scale)) \(prefix)\(unit)"
        }
        return "\(significant(value)) \(unit)"
    }

    /// The note a figure over its ceiling carries wherever it is shown.
    public static let ceilingBelowAchieved = "ceiling below achieved"

    /// A percent of peak or of roofline as reports show it: never above 100. A figure that
    /// exceeded its ceiling (flagged, or above 100 in a record from before the flag) reads
    /// `100.0% (ceiling below achieved)`: the ceiling understates the target. `—` for none.
    public static func ceilingPercent(_ value: Double?, of record: PerformanceRecord) -> String {
        guard let value else { return "—" }
        let over = value > 100 || (value >= 100 && record.ceilingBelowAchieved == true)
        return percent(Swift.min(value, 100)) + (over ? " (\(ceilingBelowAchieved))" : "")
    }

    /// A percentage already scaled to 0–100: `42.1%`.
    public static func percent(_ value: Double) -> String {
        guard value.isFinite else { return special(value) }
        return String(format: "%.1f%%", value)
    }

    /// A plain number for evidence: `0.000130`, `1.43e-06`, `nan`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return special(value) }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }  // the sign of zero is evidence
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.4g", value)
    }

    /// Three significant digits without exponent for everyday magnitudes.
    static func significant(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 100 || magnitude == 0 { return String(format: "%.0f", value) }
        if magnitude >= 10 { return String(format: "%.1f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3g", value)
    }

    static func special(_ value: Double) -> String {
        value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")
    }

    /// `2026-11-24 07:41:10 UTC`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
