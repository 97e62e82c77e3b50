/// Writes YAML scalars that read back as the same string under YAML 1.1 and 1.2.
enum YAMLScalar {
    /// Words some YAML parsers turn into booleans or null.
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    /// Plain when unambiguous (starts with a letter or `/`, only letters, digits, spaces
    /// and `_./+-`, not a reserved word, no edge spaces); otherwise double-quoted. Anything
    /// starting with a digit is quoted, so `22.04` stays a string, not a float.
    static func string(_ value: String) -> String {
        let allowed: (Character) -> Bool = {
            $0.isASCII && ($0.isLetter || $0.isNumber || " _./+-".contains($0))
        }
        if let first = value.first, first.isASCII && (first.isLetter || first == "/"),
            value.allSatisfy(allowed), value.last != " ", !reserved.contains(value.lowercased())
        {
            return value
        }
        return quoted(value)
    }

    static func quoted(_ value: String) -> String {
        var output = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                output += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// A number with at most one decimal, trailing `.0` dropped (`79.6`, `80`).
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        return fraction == 0 ? String(whole) : "\(whole).\(fraction)"
    }
}
