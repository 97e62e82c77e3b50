import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGate

/// Several current runs per gate (fresh processes): the synthetic study through the real judge
/// (`GateRateStudy`), and the gate's handling of the runs (docs/FORMATS.md, "Gate").
struct SeveralCurrentRunsTests {
    /// A/A false alarms within the goal (≤ 1% of case comparisons) in every noise model of the
    /// study, with 5 baseline runs and 3 or 5 current runs of 3 rounds.
    @Test func falseAlarmsStayWithinTheGoal() {
        var seed: UInt64 = 2700
        for (name, model) in GateRateStudyTests.models {
            for currentRuns in [3, 5] {
                seed += 1
                var study = GateRateStudy(model: model, baselineRuns: 5, rounds: 3)
                study.currentRuns = currentRuns
                let aa = study.counts(ratio: 1, gates: 600, seed: seed)
                print("gate study, \(name), B = 5, C = \(currentRuns), R = 3: A/A \(aa)")
                #expect(aa.rate(aa.falseAlarms) <= 0.01, "\(name), C = \(currentRuns): \(aa)")
            }
        }
    }

    /// Power rises with the current runs C (B = 5, R = 3): the table printed for two models, and
    /// on each of them C = 5 catches more 10% slowdowns than C = 1 with false alarms within 1%.
    @Test func powerRisesWithCurrentRuns() {
        let models = [GateRateStudyTests.models[0], GateRateStudyTests.models[4]]
        var seed: UInt64 = 2800
        for (name, model) in models {
            var caught: [Int: Int] = [:]
            for currentRuns in [1, 2, 3, 5] {
                seed += 1
                var study = GateRateStudy(model: model, baselineRuns: 5, rounds: 3)
                study.currentRuns = currentRuns
                let point = study.point(aaGates: 300, gates: 150, seed: seed)
                print("gate power, \(name), B = 5, C = \(currentRuns), R = 3: \(point.rates)")
                caught[currentRuns] = point.slow10.regressed
                #expect(point.aa.rate(point.aa.falseAlarms) <= 0.01, "\(name), C = \(currentRuns): \(point.aa)")
            }
            #expect(
                (caught[5] ?? 0) > (caught[1] ?? 0),
                "\(name): C = 5 caught \(caught[5] ?? 0), C = 1 \(caught[1] ?? 0)"
            )
        }
    }

    let id = try! CaseID(parsing: "perf/matmul/m64.n64.k64/f32")

    func run(_ median: Double, seed: UInt64, runID: String, conformance: Outcome = .pass) -> RunRecord {
        SyntheticRuns.record(
            [
                SyntheticRuns.performanceCase(
                    id.description,
                    rounds: SyntheticRuns.rounds(median: median, cv: 0.005, seed: seed)
                ),
                SyntheticRuns.conformanceCase("conf/add/n8/f32", conformance),
            ],
            runID: runID
        )
    }

    /// The gate with several current runs: every run is a unit of the current side (B + C − 2
    /// degrees of freedom), the report lists the runs, and a conformance failure in any current
    /// run — not only the newest — fails the gate, reported once.
    @Test func everyCurrentRunCounts() throws {
        let levels = [100_000.0, 102_000, 99_000, 101_000, 98_500]
        let baselines = levels.enumerated().map { run($1, seed: UInt64(70 + $0), runID: "base-\($0)") }
        let slower = [109_000.0, 111_500, 110_000].enumerated().map {
            run($1, seed: UInt64(80 + $0), runID: "cur-\($0)", conformance: $0 == 0 ? .fail : .pass)
        }
        let report = try Gate.compare(baselines: baselines, currents: slower)
        let row = try #require(report.performance.first)
        #expect(row.estimate?.currentUnits == 3 && row.estimate?.degreesOfFreedom == 6 && row.currentRuns == 3)
        #expect(row.verdict == .regressed, "\(row)")
        #expect(report.currentRuns?.map(\.runID) == ["cur-0", "cur-1", "cur-2"] && report.current.runID == "cur-2")
        #expect(report.findings(.regressed).map(\.id.description) == ["conf/add/n8/f32"])
        #expect(report.status == .regression)
        #expect(GateMarkdown.render(report).contains("current 3 run(s)"))
        // One current run: the single-run report, no current-run list, the round level when B = 1.
        let single = try Gate.compare(baselines: [baselines[0]], currents: [slower[1]])
        #expect(single.currentRuns == nil && single.performance[0].currentRuns == nil)
        #expect(single.performance[0].estimate?.level == .rounds)
        // An extra current run of the performance suite alone: its conformance case is not `missing`.
        var perfOnly = run(110_500, seed: 84, runID: "cur-3")
        perfOnly.cases.removeAll { $0.kind == .conformance }
        let withExtra = try Gate.compare(baselines: baselines, currents: [slower[1], perfOnly])
        #expect(withExtra.findings(.missing).isEmpty && withExtra.performance[0].estimate?.currentUnits == 2)
        let onlyExtra = try Gate.compare(baselines: baselines, currents: [perfOnly])
        #expect(onlyExtra.findings(.missing).map(\.id.description) == ["conf/add/n8/f32"])
    }

    /// `--confirm` with several current runs: the re-run is one more current run (C + 1 units),
    /// not a replacement of the newest, and the report keeps the verdicts before and after.
    @Test func confirmationIsOneMoreCurrentRun() throws {
        let baselines = [100_000.0, 101_000, 99_500].enumerated().map {
            run($1, seed: UInt64(90 + $0), runID: "base-\($0)")
        }
        // Two current runs, one of them slow (a noisy minute): doubtful, so confirmed.
        let currents = [100_500.0, 112_000].enumerated().map { run($1, seed: UInt64(95 + $0), runID: "cur-\($0)") }
        let first = try Gate.compare(baselines: baselines, currents: currents)
        #expect(first.casesToConfirm == [id], "\(first.performance)")
        let confirmed = try Gate.confirm(first, baselines: baselines, currents: currents, options: GateOptions()) {
            ids in
            [ids[0]: try #require(self.run(100_200, seed: 99, runID: "re").cases[0].performance)]
        }
        let row = try #require(confirmed.performance.first)
        #expect(row.estimate?.currentUnits == 3 && row.currentRuns == 3 && row.confirmed)
        #expect(confirmed.confirmation?.first?.before == first.performance[0].verdict)
        #expect(confirmed.confirmation?.first?.after == row.verdict)
        #expect(confirmed.currentRuns?.count == 2)
        #expect(GateMarkdown.render(confirmed).contains("current 2 run(s) and the confirmation re-run"))
    }
}
