import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend
@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// Issue 13.5: no Swift trap is reachable from a descriptor, a suite or a plugin reply. Seeded,
/// bounded fuzzing in process: mutated shipped descriptors and suites go through parsing,
/// validation (with the memory budget) and case expansion, random and mutated reply headers
/// through the reply decoder and its validators. Any error is fine; a trap kills the test
/// process, which is the failure this test exists to catch.
@Suite struct FuzzTests {
    /// Values that have broken parsers before: overflow, negatives, huge floats, control characters.
    static let hostile = [
        "-1", "0", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "2147483648",
        "1e308", "-1e308", ".nan", ".inf", "-.inf", "1e-320", "\"\\n\"", "\"\\u0000\"", "[]", "{}", "~",
        "[2147483648, 2147483648, 2147483648]",
        "[-1]", "[0]", "&a x", "*a", "!!binary AAAA", "? x", "- - -", "\"\u{FEFF}\"", "'''", "[[[[",
        "1_000_000_000_000",
    ]

    static func corpus(_ folder: String) -> [String] {
        let url = Repository.root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap {
            try? String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)
        }
    }

    /// One random edit: a scalar replaced by a hostile value, a line dropped or doubled, a slice
    /// of random bytes inserted, or characters deleted.
    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return text }
        let index = random.nextInt(in: 0...(lines.count - 1))
        switch random.nextInt(in: 0...5) {
        case 0, 1:
            // Replace the value after a colon (or a list item) with a hostile one.
            let value = hostile[random.nextInt(in: 0...(hostile.count - 1))]
            if let colon = lines[index].firstIndex(of: ":") {
                lines[index] = String(lines[index][...colon]) + " " + value
            } else {
                lines[index] += value
            }
        case 2: lines.remove(at: index)
        case 3: lines.insert(lines[index], at: index)
        case 4:
            let bytes = (0..<random.nextInt(in: 1...8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            lines[index] += String(decoding: bytes, as: UTF8.self)
        default:
            let characters = Array(lines[index])
            if !characters.isEmpty {
                let start = random.nextInt(in: 0...(characters.count - 1))
                lines[index] = String(
                    characters[..<start] + characters[min(characters.count, start + random.nextInt(in: 1...4))...]
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func mutatedDescriptorsAndSuitesNeverTrap() throws {
        var random = SplitMix64(seed: 13_05)
        let targets = Self.corpus("Targets")
        let suites = Self.corpus("Suites")
        try #require(!targets.isEmpty && !suites.isEmpty)
        let validator = SuiteValidator(budgetOverride: MemoryBudget(bytes: 64 << 20))
        var parsed = 0
        for round in 0..<1500 {
            var target = targets[round % targets.count]
            var suite = suites[round % suites.count]
            for _ in 0..<random.nextInt(in: 1...3) {
                target = Self.mutate(target, &random)
                suite = Self.mutate(suite, &random)
            }
            if let descriptor = try? TargetDescriptor.parse(text: target, file: "t.yaml") {
                parsed += 1
                _ = try? TargetPreflight.check(descriptor, text: target, file: "t.yaml", root: Repository.root)
            }
            if let loaded = try? Suite.parse(text: suite, file: "s.yaml", validator: validator) {
                parsed += 1
                _ = try? SuiteExpander.expand(loaded, catalogue: .standard)
            }
        }
        // Not every mutation breaks a file: the valid ones went on to validation and expansion.
        #expect(parsed > 100)
    }

    @Test func randomReplyBytesNeverTrap() throws {
        var random = SplitMix64(seed: 13_09)
        let decoder = JSONDecoder()
        let templates = [
            #"{"type":"hello","id":1,"protocol":1,"backend":{"name":"x"},"timer":"host_monotonic","capabilities":{"relu":["f32"]},"devices":[{"index":0}]}"#,
            #"{"type":"result","id":2,"payload_bytes":16,"outputs":[{"dtype":"f32","shape":[4],"nbytes":16}]}"#,
            #"{"type":"samples","id":3,"elapsed_ns":[1,2,3],"telemetry":[null,{},null]}"#,
            #"{"type":"error","id":4,"code":"unsupported","message":"no"}"#,
        ]
        var decoded = 0
        for round in 0..<4000 {
            var bytes = Array(templates[round % templates.count].utf8)
            if round % 5 == 0 {
                bytes = (0..<random.nextInt(in: 0...64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                for _ in 0..<random.nextInt(in: 1...4) where !bytes.isEmpty {
                    let at = random.nextInt(in: 0...(bytes.count - 1))
                    let numbers = [
                        "-1", "9223372036854775807", "1e400", "-9223372036854775808", "18446744073709551616",
                        "[9223372036854775807,4]", "null", "\"\\ud800\"",
                    ]
                    switch random.nextInt(in: 0...2) {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1:
                        bytes.insert(
                            contentsOf: Array(numbers[random.nextInt(in: 0...(numbers.count - 1))].utf8),
                            at: at
                        )
                    default: bytes.remove(at: at)
                    }
                }
            }
            guard let reply = try? decoder.decode(PluginMessage.self, from: Data(bytes)) else { continue }
            decoded += 1
            if case .hello(let hello) = reply { _ = try? PluginBackend.identity(from: hello) }
            guard case .result(_, let outputs, let payloadBytes) = reply else { continue }
            _ = try? WireTensor.validate(outputs, payloadBytes: payloadBytes, cap: 1 << 20, field: "outputs")
            for tensor in outputs {
                _ = Shape(tensor.shape).elementCount
                if let dtype = DType(rawValue: tensor.dtype) {
                    _ = TensorSpec(name: "o", dtype: dtype, shape: Shape(tensor.shape)).byteCount
                }
            }
        }
        // Decoding validates (required fields, samples): fewer mutants decode than with the old optional bag.
        #expect(decoded > 200)
    }
}
