import AssayCore
import Testing

@testable import AssayGate

/// The gate compares collective cases like any other: their samples (the slowest rank's time
/// per call) regress, hold or improve, and a collective that fails its exact check is a
/// conformance regression.
struct CollectiveGateTests {
    let id = "collectives/all_reduce/1048576B/f32"

    func collective(_ rounds: [[Double]], outcome: Outcome = .pass) -> CaseResult {
        var result = SyntheticRuns.performanceCase(id, rounds: rounds, outcome: outcome)
        result.kind = .collective
        result.op = "all_reduce"
        result.collective = CollectiveFigures(op: .allReduce, ranks: 2, bytes: 1 << 20, inPlace: false, root: 0)
        return result
    }

    @Test func aSlowerCollectiveRegressesAndAnEqualOneHolds() throws {
        let baseline = SyntheticRuns.record([collective(SyntheticRuns.rounds(median: 400_000, cv: 0.01, seed: 31))])
        let slower = try Gate.compare(
            baseline: baseline,
            current: SyntheticRuns.record([collective(SyntheticRuns.rounds(median: 440_000, cv: 0.01, seed: 32))]),
            options: GateOptions()
        )
        #expect(slower.performance.map(\.id.description) == [id] && slower.performance[0].verdict == .regressed)
        let same = try Gate.compare(
            baseline: baseline,
            current: SyntheticRuns.record([collective(SyntheticRuns.rounds(median: 400_000, cv: 0.01, seed: 33))]),
            options: GateOptions()
        )
        #expect(same.performance[0].verdict == .same)
    }

    @Test func aCollectiveThatStopsBeingExactIsAConformanceRegression() throws {
        let baseline = SyntheticRuns.record([collective(SyntheticRuns.rounds(median: 400_000, cv: 0.01, seed: 41))])
        var wrong = SyntheticRuns.conformanceCase(id, .fail, message: "rank 1: 1/262144 elements wrong")
        wrong.kind = .collective
        let report = try Gate.compare(
            baseline: baseline,
            current: SyntheticRuns.record([wrong]),
            options: GateOptions()
        )
        #expect(report.conformance.contains { $0.id.description == id }, "\(report.conformance)")
    }
}
