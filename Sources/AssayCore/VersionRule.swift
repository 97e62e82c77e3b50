import Foundation

/// How a declared version is compared with the one a backend reports or a probe observes
/// (`versions:` in a target descriptor, the `versions_match` system check; docs/FORMATS.md).
public enum VersionRule: Sendable, Equatable, Codable {
    /// The observed text equals the declared text.
    case exact(String)
    /// The observed version starts with the declared one at a component boundary:
    /// `1.26` matches `1.26`, `1.26.4`, `1.26rc1`, never `1.260`.
    case prefix(String)
    /// Every clause holds for the observed version, compared numerically:
    /// `>=2.1,<3` (operators `>=`, `>`, `<=`, `<`, `==`, `!=`).
    case range([Clause])

    public struct Clause: Sendable, Equatable, Codable {
        public enum Operator: String, Sendable, Codable, CaseIterable {
            // Two-character operators first, so that `>=` is not read as `>` then `=…`.
            case atLeast = ">="
            case atMost = "<="
            case equal = "=="
            case notEqual = "!="
            case greater = ">"
            case less = "<"
        }
        public var op: Operator
        public var version: String
    }

    /// The rule names a descriptor may give in `match:`.
    public static let names = ["exact", "prefix", "range"]

    /// Parses `version` under the rule `match`; the error text names what is wrong.
    public static func parse(match: String, version: String) throws(RuleError) -> VersionRule {
        let text = version.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw RuleError("the version is empty") }
        switch match {
        case "exact": return .exact(text)
        case "prefix": return .prefix(text)
        case "range": return .range(try clauses(text))
        default: throw RuleError("unknown match rule '\(match)' (one of: \(names.joined(separator: ", ")))")
        }
    }

    /// Why a rule could not be read.
    public struct RuleError: Error, Sendable, Equatable {
        public var message: String
        init(_ message: String) { self.message = message }
    }

    static func clauses(_ text: String) throws(RuleError) -> [Clause] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { part throws(RuleError) -> Clause in
            let clause = part.trimmingCharacters(in: .whitespaces)
            guard let op = Clause.Operator.allCases.first(where: { clause.hasPrefix($0.rawValue) }) else {
                throw RuleError(
                    "range clause '\(clause)' must start with one of \(Clause.Operator.allCases.map(\.rawValue).joined(separator: " ")) (e.g. \">=2.1,<3\")"
                )
            }
            let version = clause.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
            guard !VersionNumber.components(version).isEmpty, version.first?.isNumber == true else {
                throw RuleError("range clause '\(clause)' needs a numeric version after \(op.rawValue)")
            }
            return Clause(op: op, version: version)
        }
    }

    /// The rule as a descriptor writes it: `exact 1.26.4`, `prefix 1.26`, `range >=2.1,<3`.
    public var description: String {
        switch self {
        case .exact(let text): "exact \(text)"
        case .prefix(let text): "prefix \(text)"
        case .range(let clauses): "range " + clauses.map { $0.op.rawValue + $0.version }.joined(separator: ",")
        }
    }

    /// Whether `observed` satisfies the rule.
    public func matches(_ observed: String) -> Bool {
        let observed = observed.trimmingCharacters(in: .whitespaces)
        switch self {
        case .exact(let text):
            return observed == text
        case .prefix(let text):
            guard observed.hasPrefix(text) else { return false }
            // `1.26` must not match `1.260`: the next character may not continue a number.
            guard let next = observed.dropFirst(text.count).first, let last = text.last else { return true }
            return !(next.isNumber && last.isNumber)
        case .range(let clauses):
            let have = VersionNumber.components(VersionNumber.firstVersion(in: observed) ?? "")
            guard !have.isEmpty else { return false }
            return clauses.allSatisfy { clause in
                let order = VersionNumber.compare(have, VersionNumber.components(clause.version))
                switch clause.op {
                case .atLeast: return order >= 0
                case .atMost: return order <= 0
                case .equal: return order == 0
                case .notEqual: return order != 0
                case .greater: return order > 0
                case .less: return order < 0
                }
            }
        }
    }
}

/// A version a target declares: the text (also the certificate's label), the rule it is
/// checked with, and which observed version it is compared with (`from`, default its own key).
public struct DeclaredVersion: Sendable, Equatable, Codable {
    public var rule: VersionRule
    /// The observed key to compare with (`torch` for a key named `framework`); nil: the same key.
    public var from: String?
    public init(rule: VersionRule, from: String? = nil) {
        self.rule = rule
        self.from = from
    }
}

/// Numeric reading of dotted versions: `2.4.6`, `535.161.08`, `8.0.RC1` → [8, 0].
public enum VersionNumber {
    /// The leading dotted number of `text`, ignoring suffixes: `5.10.0-60` → [5, 10, 0].
    public static func components(_ text: String) -> [Int] {
        let head = text.prefix { $0.isNumber || $0 == "." }
        return head.split(separator: ".").compactMap { Int($0) }
    }

    /// The first run of digits and dots in `text`: `CANN 8.0.RC1` → `8.0.`, `torch 2.3.1+cpu` → `2.3.1`.
    public static func firstVersion(in text: String) -> String? {
        guard let start = text.firstIndex(where: \.isNumber) else { return nil }
        return String(text[start...].prefix { $0.isNumber || $0 == "." })
    }

    /// -1, 0 or 1; missing components count as 0 (`3` == `3.0`).
    public static func compare(_ lhs: [Int], _ rhs: [Int]) -> Int {
        for index in 0..<max(lhs.count, rhs.count) {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }
}
