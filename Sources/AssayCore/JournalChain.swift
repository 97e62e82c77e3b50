import Crypto
import Foundation

/// The hash chain of `journal.jsonl` (docs/FORMATS.md, "Journal chain").
///
/// Every line is a CaseResult JSON object whose first member is `chain`, written as a fixed
/// text prefix so that checking needs no re-serialisation:
///
///     {"chain":{"prev":"<64 hex>"},<the CaseResult members>}
///     {"chain":{"prev":"<64 hex>","mac":"<64 hex>"},<the CaseResult members>}
///
/// `prev` is the SHA-256 of the previous line's bytes (without its newline); the first line's
/// `prev` is the SHA-256 of `assay-journal/v1:<run id>`, which ties the chain to its run.
/// `mac`, present when a station key signs the run, is HMAC-SHA256 over `prev` and the bytes
/// after the prefix, keyed by a secret derived from the station key and the run id: only a
/// holder of the station key can write a line that verifies. Readers that ignore unknown keys
/// (every CaseResult decoder) still read chained lines as plain results.
public enum JournalChain {
    static let open = #"{"chain":{"prev":""#
    static let macMember = #"","mac":""#
    static let close = #""},"#

    /// `prev` of a run's first line.
    public static func genesis(runID: String) -> String { Digest.sha256Hex("assay-journal/v1:\(runID)") }

    /// The hash a line's successor carries in `prev`.
    public static func hash(_ line: Data) -> String { Digest.sha256Hex(line) }

    /// One chained line (no newline) holding `body`, a CaseResult's compact JSON object.
    public static func line(body: Data, prev: String, key: JournalKey?) -> Data {
        precondition(body.first == UInt8(ascii: "{") && body.count > 2, "a journal body is a non-empty JSON object")
        let rest = body.dropFirst()
        var line = Data((open + prev).utf8)
        if let key { line.append(Data((macMember + mac(prev: prev, rest: rest, key: key)).utf8)) }
        line.append(Data(close.utf8))
        line.append(rest)
        return line
    }

    /// A line taken apart: nil `prev` for a line without the chain prefix (an unchained
    /// journal from a harness before the chain, or a line someone else wrote).
    public struct Parsed: Sendable {
        public var prev: String?
        public var mac: String?
        /// The bytes after the prefix: the CaseResult's members and closing brace.
        public var rest: Data
    }

    public static func parse(_ line: Data) -> Parsed {
        let bytes = [UInt8](line)
        let openBytes = Array(open.utf8)
        let closeBytes = Array(close.utf8)
        let macBytes = Array(macMember.utf8)
        guard bytes.starts(with: openBytes) else { return Parsed(prev: nil, mac: nil, rest: line) }
        var index = openBytes.count
        guard let prev = hex(bytes, at: index) else { return Parsed(prev: nil, mac: nil, rest: line) }
        index += 64
        var mac: String?
        if bytes[index...].starts(with: macBytes) {
            index += macBytes.count
            guard let value = hex(bytes, at: index) else { return Parsed(prev: nil, mac: nil, rest: line) }
            mac = value
            index += 64
        }
        guard bytes[index...].starts(with: closeBytes) else { return Parsed(prev: nil, mac: nil, rest: line) }
        index += closeBytes.count
        return Parsed(prev: prev, mac: mac, rest: Data(bytes[index...]))
    }

    /// The CaseResult JSON of a parsed line (`{` + rest), what decoders read.
    public static func body(_ parsed: Parsed) -> Data {
        parsed.prev == nil ? parsed.rest : Data("{".utf8) + parsed.rest
    }

    public static func isValidMAC(_ parsed: Parsed, key: JournalKey) -> Bool {
        guard let prev = parsed.prev, let mac = parsed.mac, let expected = Data(hexString: mac) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            expected,
            authenticating: Data(prev.utf8) + parsed.rest,
            using: key.key
        )
    }

    static func mac(prev: String, rest: Data, key: JournalKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(prev.utf8) + rest, using: key.key)
        return Hex.encode(Data(code))
    }

    /// 64 lowercase hex digits at `index`, or nil.
    private static func hex(_ bytes: [UInt8], at index: Int) -> String? {
        guard index + 64 <= bytes.count else { return nil }
        let slice = bytes[index..<index + 64]
        guard slice.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return String(decoding: slice, as: UTF8.self)
    }
}

extension Data {
    /// Bytes from lowercase or uppercase hex; nil for odd length or a non-hex digit.
    init?(hexString: String) {
        let digits = Array(hexString.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        self.init(bytes)
    }
}

/// The per-run key of journal MACs, derived from a station's secret and the run id: the
/// station's secret never MACs lines directly, and a key for one run cannot forge lines of another.
public struct JournalKey: Sendable {
    /// The derived key bytes (swift-crypto's SymmetricKey is not Sendable).
    private let bytes: Data

    public init(secret: Data, runID: String) {
        bytes = Data(
            HMAC<SHA256>.authenticationCode(
                for: Data("assay-journal-mac/v1:\(runID)".utf8),
                using: SymmetricKey(data: secret)
            )
        )
    }

    var key: SymmetricKey { SymmetricKey(data: bytes) }
}
