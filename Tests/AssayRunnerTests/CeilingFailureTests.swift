import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Issue 13.3: a plugin that hangs on `benchmark` costs the ceiling measurement one request
/// deadline, not three; the failure is a run-level event in run.json; the cases still run.
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct CeilingFailureTests {
    /// The numpy backend whose `benchmark` logs each call to a file and then hangs.
    static let hangingBenchmark = Python.script(named: "hanging_benchmark_plugin.py")

    @Test(.hangBackstop) func hangingBenchmarkIsOneRecordedDeadline() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let script = try fixture.write(Self.hangingBenchmark, to: "hanging.py")
        let log = fixture.folder.appendingPathComponent("benchmarks.log")
        // No declared peaks: the harness measures ceilings before the first case.
        let (record, journalLines) = try fixture.run(
            target: """
                id: hanging-benchmark
                kind: cpu
                backend:
                  command: [python3, "\(script.path)", "\(log.path)", "\(Repository.root.path)"]
                  timeouts: {handshake_s: 60, request_s: 1}
                  max_restarts: 2
                """,
            suite: """
                id: mixed
                cases:
                  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [7]}]}
                  - {op: add, kind: performance, dtypes: [f32], shapes: [{a: [64], b: [64]}], time_cap_s: 1}
                """
        )
        let probes = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        // The first probe (copy) timed out; the add and GEMM probes were never sent.
        #expect(probes == ["copy", "add"], "ceiling probe then the performance case: \(probes)")
        let event = try #require(record.events?.first { $0.stage == .ceilings })
        #expect(
            event.message.contains("copy") && event.message.contains("timed out")
                && event.message.contains("uses one of its restarts"),
            "\(event.message)"
        )
        let ceilings = try #require(
            record.measuredCeilings,
            "a failed measurement is recorded, so a resume does not retry it"
        )
        #expect(
            ceilings.copyBytesPerSecond == nil && ceilings.triadBytesPerSecond == nil && ceilings.gemmFLOPS.isEmpty,
            "\(ceilings)"
        )
        #expect(
            ceilings.trials?["copy"] == [],
            "the failed copy probe ends the measurement after one request: \(ceilings)"
        )
        #expect(record.cases.map(\.outcome) == [.pass, .pass, .timeout])
        #expect(journalLines == 3)
    }
}
