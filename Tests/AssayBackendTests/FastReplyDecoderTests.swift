import AssayCore
import Foundation
import Testing

@testable import AssayBackend

/// `FastReplyDecoder` must decide every reply as the reference (`JSONDecoder` plus the checks of
/// `PluginMessage.init(from:)`) does: the same message, or the same refusal. Checked on the reply
/// tests' cases, replies shaped like the SDK's, and fuzzed mutations of both.
struct FastReplyDecoderTests {
    /// What a parse came to: the message, or the refusal's text.
    enum Outcome: Equatable, CustomStringConvertible {
        case decoded(PluginMessage)
        case refused(String)

        init(_ parse: () throws -> PluginMessage) {
            do { self = .decoded(try parse()) } catch { self = .refused("\(error)") }
        }

        var description: String {
            switch self {
            case .decoded(let message): "decoded \(message)"
            case .refused(let reason): "refused: \(reason)"
            }
        }
    }

    /// Replies as the SDK writes them on the hot path, and rarer valid shapes.
    static let valid: [(String, PluginMessage.Expectation)] = [
        (#"{"type":"result","id":7,"outputs":[{"dtype":"f32","shape":[1],"nbytes":4}],"payload_bytes":4}"#, .result),
        (
            #"{"type":"result","id":12,"outputs":[{"dtype":"bf16","shape":[2,3],"nbytes":12,"shm_offset":4096},{"dtype":"i64","shape":[],"nbytes":8}],"payload_bytes":8}"#,
            .result
        ),
        (#"{"type":"result","id":3,"outputs":[],"payload_bytes":0}"#, .result),
        (#" { "payload_bytes" : 0 , "outputs" : [ ] , "id" : null , "type" : "result" } "#, .result),
        (
            #"{"type":"result","outputs":[{"dtype":"f16","shape":[0],"nbytes":null,"extra":[true,false,null,"s",{"a":-1.25}]}]}"#,
            .result
        ),
        (
            #"{"type":"samples","id":9,"elapsed_ns":[1250.0,1187.5,99999999999.0],"timer":"host_monotonic"}"#,
            .samples(3)
        ),
        (#"{"type":"samples","id":10,"elapsed_ns":[5,6.5e3,1E2,7.25e-1],"telemetry":null}"#, .samples(4)),
        (
            #"{"type":"samples","id":3,"elapsed_ns":[5,6.5],"timer":"cuda_event","telemetry":[{"sm_clock_mhz":1400,"power_w":null,"temperature_c":-3.5},null],"extra":{"ignored":[1]}}"#,
            .samples(2)
        ),
        (#"{"type":"samples","id":-4,"elapsed_ns":[12345678901234567890],"telemetry":[{}]}"#, .samples(1)),
    ]

    /// Valid replies the fast path leaves to the reference: a `benchmark_graph` reply's `peak_bytes`
    /// (a fast path that skipped it as an unknown field dropped the peak from the record).
    static let deferredValid: [(String, PluginMessage.Expectation)] = [
        (#"{"type":"samples","id":5,"elapsed_ns":[5,6],"peak_bytes":4096}"#, .samples(2))
    ]

    /// Every seed: the valid replies above and the reply tests' malformed ones.
    static var seeds: [(String, PluginMessage.Expectation)] {
        valid + deferredValid + PluginMessageTests.malformed.map { ($0.0, $0.1) }
    }

    /// Values swapped in for a field's: other types, numbers at and beyond the edges, escapes, non-ASCII.
    static let swaps: [String] = [
        #""x""#, "1", "-1", "0", "-0", "1.0", "1.5", "1e2", "1E+2", "-1e-2", "null", "true", "[]", "{}", "[null]",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999",
        "1e400", "-1e400", "4e-320", "1e-400", "0.0", "00", "01", "1.", ".5", "+1", "0x10", "NaN", "Infinity",
        #""\u0072esult""#, #""f\u0033\u0032""#, #""é""#, "\"\u{7}\"", #""a\"b""#, "[1,]", "{\"a\":1,}",
    ]

    /// Fuzzed mutations of the seeds (deterministic): truncations, byte flips and insertions,
    /// each value swapped for each of `swaps`, each key duplicated, invalid UTF-8 and escaped keys.
    static func corpus() -> [(String, [UInt8], PluginMessage.Expectation?)] {
        var lines: [(String, [UInt8], PluginMessage.Expectation?)] = []
        var random = SplitMix64(seed: 18)
        func add(_ what: String, _ bytes: [UInt8], _ expected: PluginMessage.Expectation) {
            lines.append((what, bytes, expected))
            lines.append((what + " (no expectation)", bytes, nil))
        }
        for (seed, expected) in seeds {
            let bytes = Array(seed.utf8)
            add("seed", bytes, expected)
            if let count = expected.count { add("seed, another count", bytes, .samples(count + 1)) }
            add("seed, as samples", bytes, .samples(1))
            for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 12)) {
                add("truncated at \(cut)", Array(bytes[..<cut]), expected)
            }
            for _ in 0..<12 {
                var flipped = bytes
                let index = Int(random.next() % UInt64(bytes.count))
                flipped[index] = UInt8(truncatingIfNeeded: random.next())
                add("byte \(index) flipped", flipped, expected)
                var inserted = bytes
                inserted.insert(
                    [0x22, 0x2C, 0x7B, 0x5D, 0x30, 0x2D, 0x5C, 0xFF, 0xC0][Int(random.next() % 9)],
                    at: index
                )
                add("byte inserted at \(index)", inserted, expected)
            }
            for (range, _) in valueRanges(seed) {
                for swap in swaps {
                    add(
                        "value swapped for \(swap)",
                        Array(seed.replacingCharacters(in: range, with: swap).utf8),
                        expected
                    )
                }
            }
            for (range, key) in valueRanges(seed) {
                add("\(key) duplicated", Array(duplicatedKey(seed, key: key, range: range).utf8), expected)
            }
            add("escaped key", Array(seed.replacingOccurrences(of: #""type""#, with: #""typ\u0065""#).utf8), expected)
            add("invalid UTF-8 in a string", Array(seed.utf8).replacingFirst(0x66, with: [0xFF, 0x66]), expected)
            add("overlong UTF-8", Array(seed.utf8).replacingFirst(0x66, with: [0xC0, 0xA6]), expected)
            add("surrogate in UTF-8", Array(seed.utf8).replacingFirst(0x66, with: [0xED, 0xA0, 0x80]), expected)
            add("valid non-ASCII", Array(seed.replacingOccurrences(of: "host", with: "hôst").utf8), expected)
            add("trailing bytes", bytes + Array(" x".utf8), expected)
            add("trailing whitespace", bytes + [0x20, 0x09, 0x0D, 0x0A], expected)
            add("two objects", bytes + bytes, expected)
            add("a NUL after", bytes + [0], expected)
        }
        return lines
    }

    /// The ranges of every scalar value in `line` (after a key's colon up to the next `,`, `}` or
    /// `]`) and the key before it, found without a JSON parser (the seeds are simple).
    static func valueRanges(_ line: String) -> [(Range<String.Index>, String)] {
        var ranges: [(Range<String.Index>, String)] = []
        var index = line.startIndex
        while let colon = line[index...].firstIndex(of: ":") {
            let keyEnd = line[..<colon].lastIndex(of: "\"")
            let keyStart = keyEnd.flatMap { line[..<$0].lastIndex(of: "\"") }
            let key = keyStart.flatMap { start in keyEnd.map { String(line[line.index(after: start)..<$0]) } } ?? ""
            let start = line.index(after: colon)
            guard start < line.endIndex else { break }
            let end = line[start...].firstIndex { ",}]".contains($0) } ?? line.endIndex
            if line[start] != "{", line[start] != "[" {
                ranges.append((start..<end, key))
            } else if let close = line[start...].firstIndex(of: line[start] == "{" ? "}" : "]") {
                ranges.append((start..<line.index(after: close), key))
            }
            index = start
        }
        return ranges
    }

    /// `line` with `"key":value,` inserted before the key's first occurrence.
    static func duplicatedKey(_ line: String, key: String, range: Range<String.Index>) -> String {
        guard let keyRange = line.range(of: "\"\(key)\"") else { return line }
        var copy = line
        copy.insert(contentsOf: "\"\(key)\":\(line[range]),", at: keyRange.lowerBound)
        return copy
    }

    /// Lines where `decoder`, with the reference behind it as in `PluginMessage.parse`, decides
    /// otherwise than the reference alone.
    static func disagreements(of decoder: FastReplyDecoder) -> [String] {
        corpus().compactMap { what, bytes, expected in
            let line = ArraySlice(bytes)
            let reference = Outcome { try PluginMessage.parseReference(line: line, answering: expected) }
            let combined = Outcome {
                try decoder.decode(line, answering: expected)
                    ?? PluginMessage.parseReference(line: line, answering: expected)
            }
            guard combined != reference else { return nil }
            return "\(what): \(String(decoding: bytes, as: UTF8.self)) — reference \(reference), fast \(combined)"
        }
    }

    @Test func decidesEveryLineOfTheCorpusAsTheReferenceDoes() {
        let corpus = Self.corpus()
        #expect(corpus.count > 3000)
        let problems = Self.disagreements(of: FastReplyDecoder())
        #expect(problems.isEmpty, "\(problems.count) disagreements, first: \(problems.prefix(5))")
        // The fast path takes a real share of the corpus, not only the seeds.
        let taken = corpus.filter { FastReplyDecoder().decode(ArraySlice($0.1), answering: $0.2) != nil }.count
        #expect(taken > 300, "fast path took \(taken) lines")
    }

    @Test(arguments: 0..<valid.count)
    func takesTheValidRepliesItself(index: Int) throws {
        let (line, expected) = Self.valid[index]
        let bytes = ArraySlice(Array(line.utf8))
        let fast = try #require(FastReplyDecoder().decode(bytes, answering: expected), "deferred: \(line)")
        #expect(fast == (try PluginMessage.parseReference(line: bytes, answering: expected)))
    }

    /// `parse` takes the same path: a tiny execute's reply decodes to its case.
    @Test func parseUsesTheFastPath() throws {
        let line = ArraySlice(Array(Self.valid[0].0.utf8))
        #expect(
            try PluginMessage.parse(line: line, answering: .result)
                == .result(id: 7, outputs: [WireTensor(dtype: "f32", shape: [1], nbytes: 4)], payloadBytes: 4)
        )
    }

    /// A decoder that accepts a non-positive sample fails the agreement check.
    @Test func aLenientDecoderFailsTheAgreementCheck() {
        let problems = Self.disagreements(of: FastReplyDecoder(checksSamples: false))
        #expect(!problems.isEmpty)
        #expect(problems.contains { $0.contains("elapsed_ns[0] is -5.0") })
    }
}

extension Array where Element == UInt8 {
    /// A copy with the first `byte` replaced by `replacement` (unchanged when there is none).
    fileprivate func replacingFirst(_ byte: UInt8, with replacement: [UInt8]) -> [UInt8] {
        guard let index = firstIndex(of: byte) else { return self }
        var copy = self
        copy.replaceSubrange(index...index, with: replacement)
        return copy
    }
}
