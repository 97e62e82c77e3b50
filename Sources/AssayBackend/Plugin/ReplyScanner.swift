/// A strict, conservative reader of one JSON header line for `FastReplyDecoder`. Every reader
/// returns nil or false both for bad JSON and for JSON it will not vouch for (escapes or bytes
/// outside ASCII in strings, integers not written as plain digits, numbers whose conversion could
/// differ from Foundation's at the edge of the range, nesting deeper than `maxDepth`): the caller
/// then hands the line to the reference decoder. Leading whitespace is skipped by every reader.
struct ReplyScanner {
    /// A string's bytes between its quotes (no escapes, all ASCII).
    struct Token {
        var start: Int
        var end: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private static let maxDepth = 32

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Only whitespace is left.
    var atEnd: Bool {
        mutating get {
            skipWhitespace()
            return position == bytes.count
        }
    }

    /// `{ "key": value, … }`: `member` reads each value (the scanner just past the colon).
    mutating func object(_ member: (inout ReplyScanner, Token) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = string(), consume(UInt8(ascii: ":")), member(&self, key) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// An object whose keys are each one of `known` at most once, or another key at most once
    /// (its value checked and skipped: unknown fields are ignored, docs/PROTOCOL.md, Versioning);
    /// `member` reads the value of `known[index]`. Duplicate keys are left to the reference.
    mutating func object(known: [StaticString], _ member: (inout ReplyScanner, Int) -> Bool) -> Bool {
        var seen: UInt64 = 0
        var others: [Token] = []
        return object { scanner, key in
            guard let index = known.firstIndex(where: { scanner.equals(key, $0) }) else {
                guard !others.contains(where: { scanner.equals($0, key) }) else { return false }
                others.append(key)
                return scanner.skipValue()
            }
            guard seen & (1 << index) == 0 else { return false }
            seen |= 1 << index
            return member(&scanner, index)
        }
    }

    /// `[ value, … ]`: `element` reads each value.
    mutating func array(_ element: (inout ReplyScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    /// A string without escapes whose bytes are printable ASCII.
    mutating func string() -> Token? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return Token(start: start, end: position - 1)
            }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            position += 1
        }
        return nil
    }

    /// Consumes `null` when it comes next.
    mutating func null() -> Bool { literal("null") }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] { return false }
        position += count
        return true
    }

    /// An integer written as plain digits (`-?(0|[1-9][0-9]*)`), not `-0`, within `Int`'s range
    /// (`Int.min` excepted: its magnitude does not fit).
    mutating func integer() -> Int? {
        skipWhitespace()
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        var value = 0
        var digits = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            digits += 1
            position += 1
        }
        guard first != UInt8(ascii: "0") || (digits == 1 && !negative) else { return nil }
        if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            return nil
        }
        return negative ? -value : value
    }

    /// An integer or null (nil); false when it is neither (as `integer()` reads them).
    mutating func optionalInteger(into value: inout Int?) -> Bool {
        if null() {
            value = nil
            return true
        }
        value = integer()
        return value != nil
    }

    /// A JSON number as a `Double`, when it is a normal, non-zero finite value: a zero, a subnormal
    /// or an overflow is left to the reference decoder, which decides how such edges read.
    mutating func double() -> Double? {
        guard let literal = number() else { return nil }
        var value: Double?
        if literal.plainDigits <= 15 {
            value = Double(literal.integerPart)  // exact: below 2^53
        } else {
            value = Double(
                String(decoding: UnsafeBufferPointer(rebasing: bytes[literal.start..<position]), as: UTF8.self)
            )
        }
        guard let value, value.isFinite, value.magnitude >= Double.leastNormalMagnitude else { return nil }
        return value
    }

    /// A number's extent; `plainDigits` is its digit count when it is a plain integer (else `Int.max`).
    private struct NumberLiteral {
        var start: Int
        var plainDigits: Int
        var integerPart: Int
    }

    /// Reads a number by JSON's grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    private mutating func number() -> NumberLiteral? {
        skipWhitespace()
        let start = position
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        let digitsStart = position
        var magnitude = 0
        var fits = true
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            if fits, position - digitsStart < 15 {
                magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0"))
            } else {
                fits = false
            }
            position += 1
        }
        let digits = position - digitsStart
        guard digits > 0, bytes[digitsStart] != UInt8(ascii: "0") || digits == 1 else { return nil }
        var plain = fits
        if current == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() else { return nil }
            plain = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() else { return nil }
            plain = false
        }
        return NumberLiteral(
            start: start,
            plainDigits: plain ? digits : Int.max,
            integerPart: negative ? -magnitude : magnitude
        )
    }

    private mutating func skipDigits() -> Bool {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position > start
    }

    /// Any JSON value, checked but not kept (an ignored field). Numbers must be plain integers
    /// of at most 15 digits or plain decimals: how Foundation treats an exponent beyond `Double`'s
    /// range in a field nobody reads is the reference decoder's to say.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.maxDepth else { return false }
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"): return object { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): return array { scanner in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            let start = position
            guard number() != nil else { return false }
            let text = bytes[start..<position]
            return text.count <= 17 && !text.contains(UInt8(ascii: "e")) && !text.contains(UInt8(ascii: "E"))
        }
    }

    /// Whether a string's bytes are `word`.
    func equals(_ token: Token, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard token.end - token.start == count else { return false }
        for index in 0..<count where bytes[token.start + index] != word.utf8Start[index] { return false }
        return true
    }

    /// Whether two strings of the line have the same bytes (a duplicate key).
    func equals(_ token: Token, _ other: Token) -> Bool {
        token.end - token.start == other.end - other.start
            && bytes[token.start..<token.end].elementsEqual(bytes[other.start..<other.end])
    }

    func text(_ token: Token) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
    }
}
