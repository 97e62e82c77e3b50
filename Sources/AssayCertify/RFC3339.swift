import Foundation

/// RFC 3339 timestamps, the form of the predicate's `notBefore` / `notAfter`.
public enum RFC3339 {
    /// UTC with whole seconds, e.g. `2025-06-01T12:00:00Z`.
    public static func string(from date: Date) -> String {
        formatter(fractionalSeconds: false).string(from: date)
    }

    /// Accepts `Z` or a numeric offset, with or without fractional seconds;
    /// nil for anything else (a date without a time zone is ambiguous).
    public static func date(from text: String) -> Date? {
        formatter(fractionalSeconds: false).date(from: text) ?? formatter(fractionalSeconds: true).date(from: text)
    }

    // A fresh formatter per call: formatters are not Sendable, and these calls are rare.
    private static func formatter(fractionalSeconds: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions =
            fractionalSeconds ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }
}
