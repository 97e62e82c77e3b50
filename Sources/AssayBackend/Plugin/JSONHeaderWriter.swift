import AssayCore
import Foundation

/// Writes one request header as strict JSON bytes (docs/PROTOCOL.md, Framing): no raw newline,
/// no non-finite number. Hand-written because `JSONEncoder` was half of the harness's cost of a
/// tiny round trip; `HarnessMessageTests` holds its output equal to the documented JSON.
struct JSONHeaderWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether the next member needs a comma before it.
    private var needsComma: [Bool] = []

    init() { bytes.reserveCapacity(256) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// A member's key; its value follows.
    mutating func key(_ name: String) {
        separate()
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false  // the value completes the member
    }

    mutating func string(_ text: String) {
        separate()
        quoted(text)
    }

    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case 0..<0x20:
                bytes += Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]]
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number<Integer: BinaryInteger>(_ value: Integer) {
        separate()
        bytes += Array(String(value).utf8)
    }

    /// A finite number in Swift's shortest round-trip form (`150.0`, `1e-05`: JSON numbers).
    mutating func number(_ value: Double, field: String) throws {
        guard value.isFinite else {
            throw BackendError.invalid("\(field): \(value) is not a finite number (the protocol's JSON has none)")
        }
        separate()
        bytes += Array(value.description.utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes += Array((value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes += Array("null".utf8)
    }

    mutating func field(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    mutating func field<Integer: BinaryInteger>(_ name: String, _ value: Integer) {
        key(name)
        number(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: String, _ value: Double) throws {
        key(name)
        try number(value, field: name)
    }

    mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for text in strings { string(text) }
        endArray()
    }

    mutating func field(_ name: String, object members: [String: String]) {
        key(name)
        beginObject()
        for (member, text) in members.sorted(by: { $0.key < $1.key }) { field(member, text) }
        endObject()
    }

    /// An op's attributes (keys sorted, so a header is reproducible).
    mutating func field(_ name: String, attrs: AttrMap) throws {
        key(name)
        beginObject()
        for (attribute, value) in attrs.sorted(by: { $0.key < $1.key }) {
            key(attribute)
            switch value {
            case .int(let number): self.number(number)
            case .double(let number): try self.number(number, field: "\(name).\(attribute)")
            case .bool(let flag): bool(flag)
            case .string(let text): string(text)
            case .ints(let numbers):
                beginArray()
                for number in numbers { self.number(number) }
                endArray()
            }
        }
        endObject()
    }

    /// A value its own `Encodable` conformance spells (the hello's rare objects: its types own their keys).
    mutating func field(_ name: String, encoded value: some Encodable) throws {
        key(name)
        separate()
        do {
            bytes += try JSONEncoder().encode(value)
        } catch {
            throw BackendError.invalid("\(name): cannot encode: \(error)")
        }
    }

    /// The finished header line, `\n` included.
    var line: [UInt8] { bytes + [UInt8(ascii: "\n")] }

    private mutating func separate() {
        guard let last = needsComma.indices.last else { return }
        if needsComma[last] { bytes.append(UInt8(ascii: ",")) }
        needsComma[last] = true
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
