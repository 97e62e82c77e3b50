import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Whole runs against the hostile plugins of Tests/Fixtures/plugins: a per op × dtype restart
/// budget (issue 13.10) and a plugin that writes a forged line to every descriptor it inherits
/// (issue 24).
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct PluginSupervisionRunTests {
    @Test func anOpThatHangsIsGivenUpWhileOtherOpsGoOn() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, journalLines) = try fixture.run(
            target: """
                id: softmax-hangs
                kind: cpu
                backend:
                  command: [python3, "\(PluginFixtures.path("softmax_hang.py"))", "\(Repository.root.path)"]
                  timeouts: {handshake_s: 60, request_s: 1}
                  max_restarts: 1
                """,
            suite: """
                id: budget
                cases:
                  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}]}
                  - {op: softmax, dtypes: [f32], shapes: [{shape: [4, 8]}, {shape: [3, 5]}, {shape: [2, 6]}, {shape: [7, 3]}]}
                  - {op: relu, dtypes: [f32], shapes: [{shape: [3, 5]}, {shape: [7]}]}
                  - {op: add, dtypes: [f32], shapes: [{a: [4, 5], b: [4, 5]}]}
                """
        )
        #expect(journalLines == 8)
        let softmax = record.cases.filter { $0.id.op == "softmax" }
        let others = record.cases.filter { $0.id.op != "softmax" }
        // max_restarts 1: two timeouts, then the rest of softmax f32 fails at once.
        #expect(softmax.map(\.outcome) == [.timeout, .timeout, .crash, .crash])
        #expect(
            softmax.suffix(2).allSatisfy {
                $0.message?.contains("softmax f32 marked unavailable after 2 failure(s)") == true
            },
            "\(softmax.map { $0.message ?? "" })"
        )
        #expect(
            others.count == 4 && others.allSatisfy { $0.outcome == .pass },
            "\(others.map { "\($0.id): \($0.outcome)" })"
        )
    }

    /// A restart that claims other capabilities is a run-level event and ends the backend: the
    /// later cases are `crash` with the reason, not `unsupported` skips.
    @Test func aChangedIdentityOnRestartIsARunEventAndNeverASilentSkip() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: shifting
                kind: cpu
                backend:
                  command: [python3, "\(PluginFixtures.path("shifting_identity.py"))"]
                  env: {FIXTURE_MARKER: "\(fixture.folder.appendingPathComponent("marker").path)"}
                  timeouts: {handshake_s: 30, request_s: 5}
                """,
            suite: """
                id: identity
                cases:
                  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [3, 5]}, {shape: [7]}]}
                """
        )
        #expect(record.cases.map(\.outcome) == [.crash, .crash, .crash])
        #expect(record.cases.dropFirst().allSatisfy { $0.message?.contains("identity changed") == true })
        let events = (record.events ?? []).filter { $0.stage == .backend }
        #expect(
            events.count == 1 && events.first?.stage == .backend
                && events.first?.message.contains("capabilities changed: 1 → 0") == true,
            "\(events)"
        )
    }

    /// The plugin crashes on its first execute, so its second start happens while the journal is
    /// open; neither start finds a descriptor to write its forged line to.
    @Test func aPluginWritingToEveryInheritedDescriptorReachesNoHarnessFile() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let marker = fixture.folder.appendingPathComponent("marker").path
        let (record, journalLines) = try fixture.run(
            target: """
                id: forger
                kind: cpu
                backend:
                  command: [python3, "\(PluginFixtures.path("write_every_fd.py"))", "\(Repository.root.path)", "\(marker)"]
                  timeouts: {handshake_s: 60, request_s: 5}
                """,
            suite: """
                id: isolation
                cases:
                  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [3, 5]}, {shape: [7]}]}
                """
        )
        #expect(record.cases.map(\.outcome) == [.crash, .pass, .pass])
        #expect(
            record.cases.first?.stderrTail?.contains("forger wrote to 0 inherited descriptors") == true,
            "\(record.cases.first?.stderrTail ?? "")"
        )
        let runDirectory = try #require(
            FileManager.default.enumerator(
                at: fixture.folder.appendingPathComponent("Reports"),
                includingPropertiesForKeys: nil
            )?
            .compactMap { $0 as? URL }.first { $0.lastPathComponent == "journal.jsonl" }
        )
        let journal = try String(contentsOf: runDirectory, encoding: .utf8)
        #expect(journalLines == 3 && !journal.contains("forged/relu"))
    }
}
