import Foundation

/// A strict pre-check of signed JSON (envelopes and statements): valid UTF-8, exactly one JSON
/// value with nothing after it but whitespace, and no object with the same key twice (compared
/// after unescaping). Foundation's decoder tolerates some of these, and another tool reading
/// the same bytes differently (the first `payload` of two, or the second) is how a forged
/// value gets past one verifier and into another reader, so such bytes are refused outright.
enum StrictJSON {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ data: Data) throws(Problem) {
        guard String(validating: data, as: UTF8.self) != nil else { throw Problem(description: "not valid UTF-8") }
        var scanner = Scanner(bytes: [UInt8](data))
        scanner.skipWhitespace()
        try scanner.value(depth: 0)
        scanner.skipWhitespace()
        guard scanner.index == scanner.bytes.count else {
            throw Problem(description: "trailing data after the JSON value at byte \(scanner.index)")
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        static let maxDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func fail(_ message: String) -> Problem { Problem(description: "\(message) at byte \(index)") }

        mutating func value(depth: Int) throws(Problem) {
            guard depth < Self.maxDepth else { throw fail("nesting too deep") }
            guard index < bytes.count else { throw fail("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func object(depth: Int) throws(Problem) {
            index += 1
            var keys = Set<String>()
            try elements(until: UInt8(ascii: "}")) { (scanner: inout Scanner) throws(Problem) in
                guard scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] == UInt8(ascii: "\"") else {
                    throw scanner.fail("expected a key")
                }
                let key = try scanner.string()
                guard keys.insert(key).inserted else { throw scanner.fail("duplicate key '\(key)'") }
                scanner.skipWhitespace()
                guard scanner.index < scanner.bytes.count, scanner.bytes[scanner.index] == UInt8(ascii: ":") else {
                    throw scanner.fail("expected ':'")
                }
                scanner.index += 1
                scanner.skipWhitespace()
                try scanner.value(depth: depth + 1)
            }
        }

        mutating func array(depth: Int) throws(Problem) {
            index += 1
            try elements(until: UInt8(ascii: "]")) { (scanner: inout Scanner) throws(Problem) in
                try scanner.value(depth: depth + 1)
            }
        }

        /// Comma-separated elements up to `close` (the opening bracket already read).
        mutating func elements(until close: UInt8, _ element: (inout Scanner) throws(Problem) -> Void) throws(Problem) {
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try element(&self)
                skipWhitespace()
                guard index < bytes.count else { throw fail("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == close else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
                index += 1
                return
            }
        }

        /// A string, unescaped (keys are compared in this form).
        mutating func string() throws(Problem) -> String {
            index += 1
            var units: [UInt16] = []
            var raw: [UInt8] = []
            func flushRaw() {
                units += String(decoding: raw, as: UTF8.self).utf16
                raw.removeAll()
            }
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    flushRaw()
                    return String(decoding: units, as: UTF16.self)
                case UInt8(ascii: "\\"):
                    flushRaw()
                    guard index + 1 < bytes.count else { throw fail("unterminated escape") }
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "\""): units.append(0x22)
                    case UInt8(ascii: "\\"): units.append(0x5C)
                    case UInt8(ascii: "/"): units.append(0x2F)
                    case UInt8(ascii: "b"): units.append(0x08)
                    case UInt8(ascii: "f"): units.append(0x0C)
                    case UInt8(ascii: "n"): units.append(0x0A)
                    case UInt8(ascii: "r"): units.append(0x0D)
                    case UInt8(ascii: "t"): units.append(0x09)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let unit = UInt16(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                        else {
                            throw fail("bad \\u escape")
                        }
                        units.append(unit)
                        index += 4
                    default: throw fail("bad escape")
                    }
                case 0x00..<0x20:
                    throw fail("control character in a string")
                default:
                    raw.append(byte)
                    index += 1
                }
            }
            throw fail("unterminated string")
        }

        mutating func literal(_ word: String) throws(Problem) {
            let expected = Array(word.utf8)
            guard bytes[index...].starts(with: expected) else { throw fail("unexpected character") }
            index += expected.count
        }

        mutating func number() throws(Problem) {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !text.isEmpty,
                text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
            else {
                index = start
                throw fail("unexpected character")
            }
        }
    }
}
