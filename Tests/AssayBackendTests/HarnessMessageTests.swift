import AssayCore
import Foundation
import Testing

@testable import AssayBackend

/// The hand-written request headers say what docs/PROTOCOL.md documents, object for object.
struct HarnessMessageTests {
    /// Every request example of docs/PROTOCOL.md that is plain JSON (payload lines left out).
    static func documented() -> [NSDictionary] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/PROTOCOL.md")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "```json\n").dropFirst().compactMap { block in
            let body = block.components(separatedBy: "```")[0].split(separator: "\n")
                .filter { !$0.hasPrefix("<") }.joined(separator: "\n")
            return (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? NSDictionary
        }
    }

    static func object(_ message: HarnessMessage) throws -> NSDictionary {
        let line = try message.header()
        #expect(line.last == UInt8(ascii: "\n") && !line.dropLast().contains(UInt8(ascii: "\n")))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.dropLast())) as? NSDictionary)
    }

    static let examples: [HarnessMessage] = {
        let matrix = WireTensor(dtype: "f32", shape: [4, 8], nbytes: 128)
        let big = WireTensor(dtype: "bf16", shape: [8192, 8192], nbytes: nil)
        var staged = WireTensor(dtype: "f32", shape: [16_777_216], nbytes: 67_108_864)
        staged.shmOffset = 0
        return [
            .execute(
                id: 7,
                .init(
                    op: "matmul",
                    dtype: .f32,
                    attrs: ["transpose_b": .bool(true)],
                    inputs: [matrix, matrix],
                    payloadBytes: 256
                )
            ),
            .benchmark(
                id: 8,
                .init(
                    op: "matmul",
                    dtype: .bf16,
                    attrs: [:],
                    inputs: [big, big],
                    seed: 42,
                    mode: .warm,
                    k: 10,
                    samples: 5
                )
            ),
            .transfer(id: 9, .init(direction: .hostToDevice, bytes: 268_435_456, pinned: true, samples: 5)),
            .memory(id: 10),
            .shutdown(id: 11),
            .hello(
                .init(
                    protocolVersion: 1,
                    minor: 1,
                    harness: "assay 0.1.0",
                    options: ["device": "cuda:1"],
                    features: ["collective"],
                    rendezvous: Rendezvous(rank: 1, worldSize: 8, address: "127.0.0.1", port: 29500)
                )
            ),
            .collective(
                id: 12,
                .init(
                    op: .allReduce,
                    dtype: .f32,
                    bytes: 16_777_216,
                    inPlace: false,
                    root: 0,
                    mode: .time,
                    k: 10,
                    samples: 5,
                    peerTimeoutSeconds: 150
                )
            ),
            .execute(
                id: 7,
                .init(
                    op: "copy",
                    dtype: .f32,
                    attrs: [:],
                    inputs: [staged],
                    payloadBytes: 0,
                    shmOut: SharedMemoryWindow(offset: 67_108_864, bytes: 1_006_632_960)
                )
            ),
        ]
    }()

    @Test(arguments: 0..<examples.count)
    func eachHeaderIsADocumentedExample(index: Int) throws {
        let written = try Self.object(Self.examples[index])
        #expect(Self.documented().contains(written), "\(written) is not among docs/PROTOCOL.md's examples")
    }

    /// The comparison can fail: a header one field away from the documented one is not found.
    @Test func aHeaderOneFieldOffIsNotDocumented() throws {
        #expect(Self.documented().count >= 8)
        let wrong = HarnessMessage.transfer(
            id: 9,
            .init(direction: .deviceToHost, bytes: 268_435_456, pinned: true, samples: 5)
        )
        #expect(!Self.documented().contains(try Self.object(wrong)))
    }

    /// Strings are escaped (quotes, backslashes, control characters; UTF-8 passes through) and
    /// numbers keep their exact value: the parsed header gives back what was put in.
    @Test func stringsAndNumbersRoundTrip() throws {
        let awkward = "a \"quoted\" \\ back\nslash\t\u{01} → ünïcode 🙂"
        let doubles = [0.1, 1e-5, 1e20, -0.0, 5e-324, 1.7976931348623157e308, 3.0]
        var attrs: AttrMap = ["text": .string(awkward), "list": .ints([-3, 0, Int.max]), "flag": .bool(false)]
        for (index, value) in doubles.enumerated() { attrs["d\(index)"] = .double(value) }
        let message = HarnessMessage.execute(
            id: Int.max,
            .init(op: "op", dtype: .f64, attrs: attrs, inputs: [], payloadBytes: 0)
        )
        let object = try Self.object(message)
        let parsed = try #require(object["attrs"] as? [String: Any])
        #expect(parsed["text"] as? String == awkward)
        #expect(parsed["list"] as? [Int] == [-3, 0, Int.max])
        #expect(String(decoding: try message.header(), as: UTF8.self).contains(#""flag":false"#))
        for (index, value) in doubles.enumerated() {
            let back = try #require((parsed["d\(index)"] as? NSNumber)?.doubleValue)
            #expect(back.bitPattern == value.bitPattern || (back == 0 && value == 0), "\(value) came back as \(back)")
        }
        #expect(object["id"] as? Int == Int.max)
        let options = HarnessMessage.hello(
            .init(protocolVersion: 1, minor: 1, harness: awkward, options: [awkward: awkward], features: [])
        )
        let hello = try Self.object(options)
        #expect(hello["harness"] as? String == awkward && (hello["options"] as? [String: String]) == [awkward: awkward])
    }

    /// The seed is unsigned 64-bit: its top values stay exact.
    @Test func theLargestSeedIsWrittenExactly() throws {
        let message = HarnessMessage.benchmark(
            id: 1,
            .init(op: "relu", dtype: .f32, attrs: [:], inputs: [], seed: .max, mode: .cold, k: 1, samples: 1)
        )
        let text = String(decoding: try message.header(), as: UTF8.self)
        #expect(text.contains(#""seed":18446744073709551615"#) && text.contains(#""mode":"cold""#))
    }

    /// JSON has no NaN or infinity: a request holding one is refused, naming the field.
    @Test func aNonFiniteNumberIsRefusedNamingTheField() {
        let message = HarnessMessage.execute(
            id: 1,
            .init(op: "leaky_relu", dtype: .f32, attrs: ["alpha": .double(.infinity)], inputs: [], payloadBytes: 0)
        )
        #expect(throws: BackendError.self) { try message.header() }
        do {
            _ = try message.header()
        } catch {
            #expect("\(error)".contains("attrs.alpha: inf is not a finite number"), "\(error)")
        }
    }

    @Test func eachRequestExpectsItsReply() {
        #expect(
            Self.examples.map(\.expectedReply) == [
                .result, .samples(5), .samples(5), .memory, .bye, .hello, .samples(5), .result,
            ]
        )
        #expect(Self.examples.map(\.id) == [7, 8, 9, 10, 11, nil, 12, 7])
    }
}
