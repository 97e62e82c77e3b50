import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Rounds: each performance case is sampled R times, the rounds interleaved across the cases,
/// and the per-round statistics land in the case record (no timing asserted).
@Suite struct RoundsTests {
    func run(suiteText: String, rounds: Int?) throws -> RunRecord {
        let folder = try TemporaryDirectory.make(prefix: "assay-rounds")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("perf.yaml")
        try suiteText.write(to: suite, atomically: true, encoding: .utf8)
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false,
            rounds: rounds
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        let record = try session.run()
        // The journal holds one line per round (a resumed run continues from the last round), in
        // round order across the cases: every case's round r before any case's round r + 1.
        let lines = try String(contentsOf: session.journalURL, encoding: .utf8).split(separator: "\n")
        let roundOfLine = try lines.map { line -> Int in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return ((object["performance"] as? [String: Any])?["rounds"] as? [Any])?.count ?? 1
        }
        let wanted = rounds ?? 2
        #expect(roundOfLine == (1...wanted).flatMap { Array(repeating: $0, count: record.cases.count) })
        return record
    }

    static let suite = """
        id: perf
        kind: performance
        performance: {time_cap_s: 1.5, min_samples: 5, min_measured_s: 0.05, rounds: 2}
        cases:
          - {op: add, dtypes: [f32], shapes: [{a: [1024], b: [1024]}, {a: [2048], b: [2048]}]}
        """

    @Test func suiteRoundsAndOverride() throws {
        let fromSuite = try run(suiteText: Self.suite, rounds: nil)
        for result in fromSuite.cases {
            let performance = try #require(result.performance)
            let rounds = try #require(performance.rounds)
            #expect(rounds.map(\.round) == [1, 2])
            #expect(
                rounds.reduce(0) { $0 + $1.samples } == performance.samples.count
                    && performance.n == performance.samples.count
            )
            #expect(performance.roundSamples.count == 2 && rounds.allSatisfy { $0.samples >= 5 && $0.median > 0 })
            #expect(performance.stopReason.hasPrefix("round 1: "))
        }
        let overridden = try run(suiteText: Self.suite, rounds: 3)
        #expect(overridden.cases.allSatisfy { $0.performance?.rounds?.count == 3 })
    }

    @Test func oneRoundWritesNoRoundList() throws {
        let record = try run(suiteText: Self.suite, rounds: 1)
        #expect(record.cases.allSatisfy { $0.performance?.rounds == nil && $0.performance?.roundSamples.count == 1 })
    }

    @Test func roundsSettingIsValidated() throws {
        let text = Self.suite.replacingOccurrences(of: "rounds: 2", with: "rounds: 0")
        #expect(throws: (any Error).self) { try Suite.parse(text: text, file: "perf.yaml", validator: nil) }
    }
}
