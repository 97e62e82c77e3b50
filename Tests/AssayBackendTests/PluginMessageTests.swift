import AssayCore
import Foundation
import Testing

@testable import AssayBackend

/// Replies are decoded and validated once, against the request they answer; each malformed
/// reply is refused with the field it got wrong.
struct PluginMessageTests {
    static func parse(_ line: String, answering expected: PluginMessage.Expectation?) throws -> PluginMessage {
        try PluginMessage.parse(line: ArraySlice(Array(line.utf8)), answering: expected)
    }

    /// Why `line` was refused (nil: it was accepted).
    static func refusal(_ line: String, answering expected: PluginMessage.Expectation?) -> String? {
        do {
            _ = try parse(line, answering: expected)
            return nil
        } catch PluginIOError.violation(let reason) { return reason } catch { return "\(error)" }
    }

    @Test func wellFormedRepliesDecodeToTheirCase() throws {
        let samples = try Self.parse(
            #"{"type":"samples","id":3,"elapsed_ns":[5,6.5],"timer":"cuda_event","telemetry":[{"sm_clock_mhz":1400,"power_w":null},null],"extra":{"ignored":[1]}}"#,
            answering: .samples(2)
        )
        guard case .samples(let id, let values) = samples else {
            Issue.record("expected samples, got \(samples)")
            return
        }
        #expect(id == 3 && values.map(\.elapsedNanoseconds) == [5, 6.5])
        #expect(values.map(\.telemetry) == [TelemetrySample(smClockMHz: 1400), nil])
        let result = try Self.parse(
            #"{"type":"result","id":4,"outputs":[{"dtype":"f32","shape":[2],"nbytes":8}],"payload_bytes":8}"#,
            answering: .result
        )
        #expect(result == .result(id: 4, outputs: [WireTensor(dtype: "f32", shape: [2], nbytes: 8)], payloadBytes: 8))
        #expect(
            try Self.parse(#"{"type":"memory","id":5,"total_bytes":2048,"free_bytes":1024}"#, answering: .memory)
                == .memory(id: 5, totalBytes: 2048, freeBytes: 1024)
        )
        #expect(try Self.parse(#"{"type":"bye","id":6}"#, answering: .bye) == .bye(id: 6))
        #expect(
            try Self.parse(#"{"type":"error","id":null,"code":"invalid","message":"m"}"#, answering: .result)
                == .error(id: nil, code: "invalid", message: "m")
        )
        let hello = try Self.parse(
            #"{"type":"hello","protocol":1,"minor":1,"features":["shm"],"backend":{"name":"numpy","version":"2"},"timer":"host_monotonic","capabilities":{"relu":["f32"]},"devices":[{"kind":"cpu","driver":550}],"runtime":{"python":3.11}}"#,
            answering: .hello
        )
        guard case .hello(let greeting) = hello else {
            Issue.record("expected a hello, got \(hello)")
            return
        }
        let identity = try PluginBackend.identity(from: greeting)
        #expect(identity.name == "numpy" && identity.timer.kind == .host && identity.runtime["python"] == "3.11")
        #expect(identity.devices.first?.driver == "550" && identity.features == ["shm"])
    }

    /// Each malformed reply and the words its refusal must contain (the field, and what is wrong).
    static let malformed: [(String, PluginMessage.Expectation, String)] = [
        // wrong type for a field
        (#"{"type":"samples","id":1,"elapsed_ns":"fast"}"#, .samples(1), "elapsed_ns: expected an array"),
        (#"{"type":"samples","id":1,"elapsed_ns":[1,"2"]}"#, .samples(2), "elapsed_ns[1]: expected a number"),
        (#"{"type":"memory","id":1,"total_bytes":"big","free_bytes":1}"#, .memory, "total_bytes: expected a number"),
        (
            #"{"type":"result","id":1,"outputs":[{"dtype":"f32","shape":[2],"nbytes":"8"}],"payload_bytes":8}"#,
            .result, "outputs[0].nbytes: expected an integer"
        ),
        (#"{"type":"result","id":1,"outputs":{"dtype":"f32"}}"#, .result, "outputs: expected an array"),
        (
            #"{"type":"hello","protocol":1,"backend":{"name":"x"},"timer":5,"capabilities":{}}"#, .hello,
            "timer: expected a string"
        ),
        (
            #"{"type":"samples","id":1,"elapsed_ns":[1],"telemetry":[{"power_w":"hot"}]}"#, .samples(1),
            "telemetry[0].power_w: expected a number"
        ),
        (
            #"{"type":"samples","id":1,"elapsed_ns":[1],"telemetry":[5]}"#, .samples(1),
            "telemetry[0]: expected an object"
        ),
        (#"{"type":7,"id":1}"#, .bye, "type: expected a string"),
        // missing required field
        (#"{"type":"samples","id":1}"#, .samples(1), "elapsed_ns: missing"),
        (#"{"type":"result","id":1,"payload_bytes":0}"#, .result, "outputs: missing"),
        (#"{"type":"result","id":1,"outputs":[{"dtype":"f32"}]}"#, .result, "outputs[0].shape: missing"),
        (#"{"type":"memory","id":1,"total_bytes":1}"#, .memory, "free_bytes: missing"),
        (#"{"type":"hello","protocol":1,"timer":"t","capabilities":{}}"#, .hello, "backend: missing"),
        (
            #"{"type":"hello","protocol":1,"backend":{"version":"1"},"timer":"t","capabilities":{}}"#, .hello,
            "backend.name: missing"
        ),
        (#"{"id":1}"#, .bye, "type: missing"),
        // a sample that is no measurement
        (#"{"type":"samples","id":1,"elapsed_ns":[1,null]}"#, .samples(2), "elapsed_ns[1] is null"),
        (#"{"type":"samples","id":1,"elapsed_ns":[0,1]}"#, .samples(2), "elapsed_ns[0] is 0.0"),
        (#"{"type":"samples","id":1,"elapsed_ns":[-5]}"#, .samples(1), "elapsed_ns[0] is -5.0"),
        (#"{"type":"samples","id":1,"elapsed_ns":[1e999]}"#, .samples(1), "number out of range"),
        // counts that do not match
        (#"{"type":"samples","id":1,"elapsed_ns":[1,2]}"#, .samples(3), "elapsed_ns: 2 samples for 3 requested"),
        (
            #"{"type":"samples","id":1,"elapsed_ns":[1,2],"telemetry":[{}]}"#, .samples(2),
            "telemetry: 1 telemetry entries for 2 samples"
        ),
        // values out of range, a reply to another request, payload where none may be
        (
            #"{"type":"memory","id":1,"total_bytes":-1,"free_bytes":1}"#, .memory,
            "total_bytes: -1.0 is not a non-negative"
        ),
        (#"{"type":"samples","id":1,"elapsed_ns":[1]}"#, .result, "type: expected a 'result' reply, got 'samples'"),
        (#"{"type":"resultz","id":1}"#, .result, "expected a 'result' reply, got 'resultz'"),
        (#"{"type":"bye","id":1,"payload_bytes":12}"#, .bye, "payload_bytes 12 exceeds 0 bytes"),
        (#"{"type":"result","id":1.5,"outputs":[]}"#, .result, "id must be an integer (got 1.5)"),
    ]

    @Test(arguments: 0..<malformed.count)
    func aMalformedReplyIsRefusedNamingTheField(index: Int) {
        let (line, expected, words) = Self.malformed[index]
        let reason = Self.refusal(line, answering: expected)
        #expect(reason?.contains(words) == true, "\(line): \(reason ?? "accepted")")
    }

    /// A decoder that only reads the fields (the old optional-bag reply, or this one without
    /// its checks) lets the bad samples through: the refusals above come from the validation.
    @Test func aDecoderWithoutTheChecksWouldAcceptTheBadSamples() throws {
        struct Lenient: Decodable {
            var type: String
            var elapsed_ns: [Double?]?
            var telemetry: [[String: Double?]?]?
        }
        let bad = Self.malformed.filter { $0.0.contains(#""samples""#) && !$0.2.contains("expected a") }
            .filter { !$0.2.contains("missing") && !$0.2.contains("out of range") }
        #expect(bad.count >= 5)
        for (line, expected, _) in bad {
            #expect(throws: Never.self) { try JSONDecoder().decode(Lenient.self, from: Data(line.utf8)) }
            #expect(Self.refusal(line, answering: expected) != nil, "\(line)")
        }
    }

    /// A raw probe (no expectation) takes any well-formed reply but still checks its fields.
    @Test func aRawProbeTakesAnyTypeButChecksFields() {
        #expect(Self.refusal(#"{"type":"samples","id":1,"elapsed_ns":[2]}"#, answering: nil) == nil)
        #expect(
            Self.refusal(#"{"type":"samples","id":1,"elapsed_ns":[0]}"#, answering: nil)?.contains("is 0.0") == true
        )
    }
}
