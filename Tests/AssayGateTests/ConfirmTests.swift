import AssayCore
import Testing

@testable import AssayGate

/// `--confirm`: the re-measurement replaces the doubtful cases' current measurement, the
/// report keeps each verdict before and after, and the original run is never appended to.
struct ConfirmTests {
    let id = try! CaseID(parsing: "perf/matmul/m64.n64.k64/f32")

    func record(_ median: Double, seed: UInt64, runID: String) -> RunRecord {
        SyntheticRuns.record(
            [
                SyntheticRuns.performanceCase(
                    id.description,
                    rounds: SyntheticRuns.rounds(median: median, cv: 0.01, seed: seed)
                )
            ],
            runID: runID
        )
    }

    @Test func confirmationReplacesAndKeepsBeforeAndAfter() throws {
        let baseline = record(100_000, seed: 1, runID: "base")
        // A current run that looked 20% slower (a noisy minute), re-measured at the baseline's speed.
        let current = record(120_000, seed: 2, runID: "cur")
        let first = try Gate.compare(baseline: baseline, current: current)
        #expect(first.performance[0].verdict == .regressed)
        var asked: [[CaseID]] = []
        let confirmed = try Gate.confirm(first, baselines: [baseline], current: current, options: GateOptions()) {
            ids in
            asked.append(ids)
            return [ids[0]: try #require(self.record(100_500, seed: 3, runID: "re").cases[0].performance)]
        }
        #expect(asked == [[id]])
        let row = try #require(confirmed.confirmation?.first)
        #expect(row.before == .regressed && row.after == .same && row.rounds == 3)
        #expect(try #require(row.ratioBefore) > 1.15 && abs(try #require(row.ratioAfter) - 1.005) < 0.01)
        #expect(confirmed.performance[0].verdict == .same && confirmed.performance[0].confirmed)
        // The re-run replaced the measurement: three rounds, not six; the original record is untouched.
        #expect(confirmed.performance[0].currentSamples == 150 && confirmed.performance[0].currentRounds == 3)
        #expect(current.cases[0].performance?.samples.count == 150)
        #expect(confirmed.status == .pass)
        #expect(GateMarkdown.render(confirmed).contains("### Confirmation re-run"))
    }

    @Test func aConfirmedRegressionStaysARegression() throws {
        let baseline = record(100_000, seed: 11, runID: "base")
        let current = record(110_000, seed: 12, runID: "cur")
        let first = try Gate.compare(baseline: baseline, current: current)
        let confirmed = try Gate.confirm(first, baselines: [baseline], current: current, options: GateOptions()) {
            ids in
            [ids[0]: try #require(self.record(110_500, seed: 13, runID: "re").cases[0].performance)]
        }
        #expect(
            confirmed.confirmation?.first?.before == .regressed && confirmed.confirmation?.first?.after == .regressed
        )
        #expect(confirmed.status == .regression)
    }

    @Test func nothingDoubtfulMeasuresNothing() throws {
        let baseline = record(100_000, seed: 21, runID: "base")
        let report = try Gate.compare(baseline: baseline, current: record(100_000, seed: 22, runID: "cur"))
        #expect(report.casesToConfirm.isEmpty)
        let same = try Gate.confirm(report, baselines: [baseline], current: baseline, options: GateOptions()) { _ in
            Issue.record("no case should be re-measured")
            return [:]
        }
        #expect(same.confirmation == nil)
    }
}
