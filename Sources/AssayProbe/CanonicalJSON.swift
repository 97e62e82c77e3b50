/// A JSON value with one spelling: object keys sorted, no whitespace, strings escaped as
/// RFC 8785 (JCS) prescribes, integers only (no floats, so no number formatting to agree on).
/// Hashing its text gives the same digest on every platform and Swift version, which
/// `JSONEncoder` does not promise.
indirect enum CanonicalJSON: Equatable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([CanonicalJSON])
    /// Entries whose value is nil are left out, so "unknown" and "absent" spell the same.
    case object([String: CanonicalJSON?])

    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let value): Self.writeString(value, to: &output)
        case .int(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            // JCS orders keys by UTF-16 code units.
            let keys = members.compactMap { $0.value == nil ? nil : $0.key }
                .sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!!.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
