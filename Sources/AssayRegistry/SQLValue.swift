import Foundation

/// One bound parameter or result column, in the four types both engines share (booleans are
/// 0/1 integers, dates RFC 3339 text, structured data JSON text): the schema stays one text.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
    /// NaN and ±inf are stored as NULL: neither engine orders them as numbers in the same way.
    public init(_ value: Double?) { self = value.flatMap { $0.isFinite ? .real($0) : nil } ?? .null }

    public var string: String? {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .null: return nil
        }
    }

    public var int: Int? {
        if case .integer(let value) = self { return Int(value) }
        return double.map { Int($0) }
    }

    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let text): return Double(text)
        case .null: return nil
        }
    }
}
