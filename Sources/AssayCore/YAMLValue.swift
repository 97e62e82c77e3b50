import Foundation
import Yams

/// A YAML node that remembers where it came from, so every conversion error names
/// the file, line, column and field path.
public struct YAMLValue {
    public let node: Node
    public let file: String
    /// Field path from the document root, e.g. `cases[2].dtypes`.
    public let path: String

    /// Parses a whole document; syntax errors carry the parser's line and column.
    public static func load(text: String, file: String) throws -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, line: 1, message: "the document is empty")
            }
            return YAMLValue(node: node, file: file, path: "")
        } catch let error as YamlError {
            throw InputError.fromYams(error, file: file)
        }
    }

    public static func load(contentsOf url: URL, displayName: String? = nil) throws -> (YAMLValue, String) {
        let name = displayName ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else {
            throw InputError(file: name, message: "cannot read the file (missing or not UTF-8)")
        }
        return (try load(text: text, file: name), text)
    }

    public var line: Int? { node.mark?.line }

    public func error(_ message: String) -> InputError {
        InputError(
            file: file,
            line: node.mark?.line,
            column: node.mark?.column,
            field: path.isEmpty ? nil : path,
            message: message
        )
    }

    func child(_ node: Node, key: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func element(_ node: Node, index: Int) -> YAMLValue {
        YAMLValue(node: node, file: file, path: "\(path)[\(index)]")
    }

    // MARK: Structure

    /// A mapping whose keys must all be in `allowed`; an unknown key is an error naming it.
    public func mapping(allowed: Set<String>) throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kindName)") }
        var entries: [(String, YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else { throw error("mapping keys must be plain strings") }
            guard allowed.contains(key.string) else {
                let keyValue = YAMLValue(node: keyNode, file: file, path: path)
                throw keyValue.error(
                    "unknown key '\(key.string)' (allowed: \(allowed.sorted().joined(separator: ", ")))"
                )
            }
            entries.append((key.string, child(valueNode, key: key.string)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// A mapping with arbitrary string keys (e.g. `env:`), in document order.
    public func freeMapping() throws -> [(String, YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kindName)") }
        return try mapping.map { keyNode, valueNode in
            guard case .scalar(let key) = keyNode else { throw error("mapping keys must be plain strings") }
            return (key.string, child(valueNode, key: key.string))
        }
    }

    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindName)") }
        return sequence.enumerated().map { element($1, index: $0) }
    }

    /// A list, or a single item taken as a list of one.
    public func listOrSingle() throws -> [YAMLValue] {
        if case .sequence = node { return try sequence() }
        return [self]
    }

    // MARK: Scalars

    private var scalar: Node.Scalar? {
        if case .scalar(let s) = node { return s }
        return nil
    }
    private var isPlainScalar: Bool { scalar?.style == .plain }

    public func string() throws -> String {
        guard let scalar else { throw error("expected a string, found \(kindName)") }
        return scalar.string
    }

    public func int() throws -> Int {
        guard let scalar, isPlainScalar, let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected an integer, found \(describedValue)")
        }
        return value
    }

    public func double() throws -> Double {
        guard let scalar, isPlainScalar, let value = Double(scalar.string.replacingOccurrences(of: "_", with: ""))
        else {
            throw error("expected a number, found \(describedValue)")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard let scalar, isPlainScalar else { throw error("expected true or false, found \(describedValue)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(describedValue)")
        }
    }

    /// An id that names folders and case ids: letters, digits, '.', '_', '-', starting with a
    /// letter or digit; no whitespace or control characters anywhere (a trailing newline included).
    public func identifier() throws -> String {
        let text = try string()
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
        guard let first = text.unicodeScalars.first, first != ".", first != "_", first != "-",
            text.unicodeScalars.allSatisfy(allowed.contains)
        else {
            throw error(
                "id \(text.debugDescription) must be letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        }
        return text
    }

    public func nonNegativeInt() throws -> Int {
        let value = try int()
        guard value >= 0 else { throw error("must be 0 or more, found \(value)") }
        return value
    }

    public func positiveInt() throws -> Int {
        let value = try int()
        guard value > 0 else { throw error("must be 1 or more, found \(value)") }
        return value
    }

    /// A finite number ≥ 0 (NaN and infinities refused).
    public func nonNegativeDouble() throws -> Double {
        let value = try double()
        guard value.isFinite, value >= 0 else { throw error("must be a finite number ≥ 0, found \(value)") }
        return value
    }

    public func strings() throws -> [String] { try listOrSingle().map { try $0.string() } }
    public func ints() throws -> [Int] { try sequence().map { try $0.int() } }

    /// An ISO date (`2027-01-31`) or date-time.
    public func date() throws -> Date {
        let text = try string()
        if let date = YAMLValue.parseDate(text) { return date }
        throw error("expected a date like 2027-01-31, found '\(text)'")
    }

    static func parseDate(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }

    /// Any attribute value: int, number, bool, string, or list of ints.
    public func attrValue() throws -> AttrValue {
        switch node {
        case .sequence:
            return .ints(try ints())
        case .scalar(let s):
            if s.style == .plain {
                if let i = Int(s.string) { return .int(i) }
                if let b = try? bool() { return .bool(b) }
                if let d = Double(s.string) { return .double(d) }
            }
            return .string(s.string)
        default:
            throw error("expected a value or a list of integers, found \(kindName)")
        }
    }

    public func attrMap() throws -> AttrMap {
        var map = AttrMap()
        for (key, value) in try freeMapping() { map[key] = try value.attrValue() }
        return map
    }

    var kindName: String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var describedValue: String { kindName }
}

/// The entries of a checked mapping, with required/optional access.
public struct YAMLMapping {
    public let owner: YAMLValue
    public let entries: [(String, YAMLValue)]

    public subscript(key: String) -> YAMLValue? { entries.first { $0.0 == key }?.1 }

    public func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else {
            throw InputError(
                file: owner.file,
                line: owner.line,
                column: owner.node.mark?.column,
                field: owner.path.isEmpty ? key : "\(owner.path).\(key)",
                message: "missing required field '\(key)'"
            )
        }
        return value
    }
}

extension InputError {
    static func fromYams(_ error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return InputError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message:
                    "YAML: duplicated key\(duplicates.count == 1 ? "" : "s") \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in this mapping"
            )
        default:
            return InputError(file: file, message: "YAML: \(error)")
        }
    }
}
