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
    /// A native run of the fixture suite at `grid` (3 rounds per case).
    func run(grid: String) throws -> RunRecord {
        let folder = try TemporaryDirectory.make(prefix: "assay-model-gate")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try run(grid: grid, in: folder)
    }

    /// The same, its graph and suite files written to (and left in) `folder`.
    func run(grid: String, in folder: URL) throws -> RunRecord {
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

    /// `--confirm` re-measures a regressed model case from its graph file, as it re-measures an
    /// op case, and refuses once that file has changed since the run.
    @Test func aRegressedModelCaseIsConfirmedFromItsUnchangedGraphFile() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-model-confirm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let baseline = try run(grid: "{batch: [1], seq: [8]}", in: folder)
        let same = "tiny-model-performance/tiny-swiglu/batch=1,seq=8/f32"
        let index = try #require(baseline.cases.firstIndex { $0.id.description == same })
        let digest = try #require(baseline.cases[index].modelPerformance?.graphSHA256)
        #expect(digest == Digest.sha256Hex(ModelPerformanceFixture.graph))
        var slower = baseline
        slower.cases[index].performance = try #require(slower.cases[index].performance).scaled(by: 3)
        let report = try Gate.compare(baselines: [baseline], currents: [slower])
        #expect(report.casesToConfirm.map(\.description) == [same])

        let remeasurer = CaseRemeasurer(record: slower, root: Repository.root)
        let remeasure = { (ids: [CaseID]) in try remeasurer.remeasure(ids) { _, _ in NativeCPUBackend(threads: 1) } }
        let fresh = try remeasure(report.casesToConfirm)
        let record = try #require(fresh[baseline.cases[index].id])
        #expect(record.rounds?.count == 3 && record.n > 0, "as many rounds as the run measured")
        let confirmed = try Gate.confirm(
            report,
            baselines: [baseline],
            currents: [slower],
            options: GateOptions(),
            remeasure: remeasure
        )
        let result = try #require(confirmed.confirmation?.first)
        #expect(result.before == .regressed && result.rounds == 3)
        // The planted 3× is gone from an honest re-run of the same graph.
        #expect((result.ratioAfter ?? 3) < (result.ratioBefore ?? 0), "\(result)")

        // The graph file edited after the run: its samples would time another graph.
        let graphURL = folder.appendingPathComponent("tiny-swiglu.yaml")
        try (ModelPerformanceFixture.graph + "\n# edited\n").write(to: graphURL, atomically: true, encoding: .utf8)
        do {
            _ = try remeasure(report.casesToConfirm)
            Issue.record("a changed graph file was re-measured")
        } catch let error as InputError {
            #expect("\(error)".contains("graph file changed since the run") && "\(error)".contains(graphURL.path))
        }
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
