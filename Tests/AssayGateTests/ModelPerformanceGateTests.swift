import AssayBackend
import AssayCore
import AssayGate
import AssayTestSupport
import Foundation
import Testing

@testable import AssayRunner

/// Model performance cases are gated like op performance cases: two runs of the same model
/// suite are compared case by case (the id holds the graph, its dims and the dtype), and a
/// model case slowed down in the current run is found regressed.
@Suite(.serialized) struct ModelPerformanceGateTests {
    /// A native run of the fixture suite at `grid` (2 rounds per case).
    func run(grid: String) throws -> RunRecord {
        let folder = try TemporaryDirectory.make(prefix: "assay-model-gate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = try ModelPerformanceFixture.write(
            to: folder,
            grid: grid,
            performance: "{time_cap_s: 1, min_samples: 5, rounds: 3}"
        )
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        return try session.run()
    }

    @Test func twoModelRunsAreComparedCaseByCaseAndASlowdownRegresses() throws {
        let baseline = try run(grid: "{batch: [1, 2], seq: [8]}")
        var current = try run(grid: "{batch: [1], seq: [8, 16]}")
        current.environment = baseline.environment
        current.backend = baseline.backend
        // batch=1,seq=8 is in both runs; batch=2,seq=8 only in the baseline, seq=16 only now.
        let same = "tiny-model-performance/tiny-swiglu/batch=1,seq=8/f32"
        let report = try Gate.compare(
            baselines: [baseline],
            currents: [current],
            options: GateOptions(allowMissing: true)
        )
        #expect(report.performance.map(\.id.description) == [same])
        #expect(report.performance[0].baselineRuns == 1 && report.performance[0].currentRounds == 3)

        // The baseline against itself with one model case 3× slower in every round (its samples
        // scaled as a slower backend would give them): that case regresses, the other does not.
        var slower = baseline
        let index = try #require(slower.cases.firstIndex { $0.id.description == same })
        slower.cases[index].performance = try #require(slower.cases[index].performance).scaled(by: 3)
        let regressed = try Gate.compare(baselines: [baseline], currents: [slower])
        let verdicts = Dictionary(uniqueKeysWithValues: regressed.performance.map { ($0.id.description, $0.verdict) })
        #expect(verdicts[same] == .regressed, "\(regressed.performance)")
        let unchanged = try #require(verdicts["tiny-model-performance/tiny-swiglu/batch=2,seq=8/f32"])
        #expect(unchanged != .regressed, "the same samples on both sides")
        #expect(regressed.status == .regression)
    }
}

extension PerformanceRecord {
    /// Every sample `factor` times longer (rounds keep their sample counts).
    fileprivate func scaled(by factor: Double) -> PerformanceRecord {
        var record = self
        record.samples = samples.map { $0 * factor }
        return record
    }
}
