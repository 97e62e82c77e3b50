import AssayCore
import Testing

@testable import AssayGate

/// The performance half of the gate on seeded synthetic samples (no timing involved).
struct PerformanceVerdictTests {
    let id = "perf/matmul/m64.n64.k64/f32"

    func verdict(
        baseline: [[Double]],
        current: [[Double]],
        options: GateOptions = GateOptions()
    ) throws -> PerformanceComparison {
        let report = try Gate.compare(
            baseline: SyntheticRuns.record([SyntheticRuns.performanceCase(id, rounds: baseline)]),
            current: SyntheticRuns.record([SyntheticRuns.performanceCase(id, rounds: current)]),
            options: options
        )
        #expect(report.performance.count == 1)
        return report.performance[0]
    }

    @Test func identicalDistributionsAreSame() throws {
        let baseline = SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 1)
        let fresh = try verdict(baseline: baseline, current: SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 2))
        #expect(fresh.verdict == .same)
        #expect(fresh.estimate?.level == .rounds && fresh.estimate?.degreesOfFreedom == 4)
        let identical = try verdict(baseline: baseline, current: baseline)
        #expect(identical.verdict == .same)
        #expect(identical.pValue > 0.9)
    }

    @Test func plantedFivePercentSlowdownRegresses() throws {
        let result = try verdict(
            baseline: SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 11),
            current: SyntheticRuns.rounds(median: 105_000, cv: 0.01, seed: 12)
        )
        #expect(result.verdict == .regressed)
        #expect(result.adjustedPValue < 0.05)
        #expect(try #require(result.ratio) > 1.04)
        // τ is the 2% floor: rounds of 50 samples at 1% noise barely differ.
        #expect(result.tau == 0.02)
    }

    @Test func plantedFivePercentSpeedupImproves() throws {
        let result = try verdict(
            baseline: SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 21),
            current: SyntheticRuns.rounds(median: 95_000, cv: 0.01, seed: 22)
        )
        #expect(result.verdict == .improved, "\(result)")
    }

    /// Rounds that differ by a few percent (a round effect): a 1% change is not called, and
    /// τ grows to the between-round spread.
    @Test func roundToRoundNoiseSetsTau() throws {
        let base = [100_000.0, 104_000, 97_000].map { SyntheticRuns.samples(median: $0, cv: 0.005, seed: UInt64($0)) }
        let current = [101_000.0, 98_500, 104_500].map {
            SyntheticRuns.samples(median: $0, cv: 0.005, seed: UInt64($0) + 1)
        }
        let result = try verdict(baseline: base, current: current)
        #expect(result.verdict == .inconclusive, "\(result)")
        #expect(result.tau > 0.025)
    }

    @Test func oneRoundPerSideIsNeverSame() throws {
        let result = try verdict(
            baseline: [SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 31)],
            current: [SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 32)]
        )
        #expect(result.verdict == .inconclusive)
        #expect(result.note == PerformanceJudge.noVarianceNote)
        #expect(result.ratioLow == nil && result.ratioHigh == nil)
        // Even a doubling is not claimed: with no variance there is no confidence.
        let doubled = try verdict(
            baseline: [SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 33)],
            current: [SyntheticRuns.samples(median: 200_000, cv: 0.01, seed: 34)]
        )
        #expect(doubled.verdict == .inconclusive)
    }

    @Test func baselineHistoryUsesRunToRunSpread() throws {
        // Five baseline runs whose levels differ by ~3% run to run (rounds inside a run agree).
        let levels = [100_000.0, 103_000, 98_000, 101_500, 97_500]
        let baselines = levels.enumerated().map { index, level in
            SyntheticRuns.record(
                [
                    SyntheticRuns.performanceCase(
                        id,
                        rounds: SyntheticRuns.rounds(median: level, cv: 0.005, seed: UInt64(50 + index))
                    )
                ],
                runID: "base-\(index)"
            )
        }
        // A current run 2.5% above the first baseline run: within run-to-run noise, so not a regression.
        let current = SyntheticRuns.record([
            SyntheticRuns.performanceCase(id, rounds: SyntheticRuns.rounds(median: 102_500, cv: 0.005, seed: 60))
        ])
        let withHistory = try Gate.compare(baselines: baselines, currents: [current]).performance[0]
        #expect(withHistory.estimate?.level == .runs && withHistory.estimate?.baselineUnits == 5)
        #expect(withHistory.verdict != .regressed, "\(withHistory)")
        #expect(withHistory.tau > 0.02)
        // Against the first run alone (rounds only) the same 2.5% looks significant: the history is what protects.
        let single = try Gate.compare(baseline: baselines[0], current: current).performance[0]
        #expect(single.verdict == .regressed, "\(single)")
        // A 15% slowdown is still caught against the history.
        let slow = SyntheticRuns.record([
            SyntheticRuns.performanceCase(id, rounds: SyntheticRuns.rounds(median: 115_000, cv: 0.005, seed: 61))
        ])
        #expect(try Gate.compare(baselines: baselines, currents: [slow]).performance[0].verdict == .regressed)
    }

    @Test func decisionRuleAsDocumented() {
        let rule = { (p: Double, ratio: Double, low: Double, high: Double) in
            PerformanceJudge.verdict(adjustedPValue: p, ratio: ratio, low: low, high: high, tau: 0.02, alpha: 0.05)
        }
        #expect(rule(0.01, 1.04, 1.03, 1.05) == .regressed)
        #expect(rule(0.20, 1.04, 0.99, 1.09) == .inconclusive)  // beyond τ but not significant
        #expect(rule(0.01, 1.03, 1.01, 1.05) == .regressed)  // significant and the ratio beyond τ
        #expect(rule(0.01, 1.015, 1.005, 1.025) == .inconclusive)  // significant, ratio within τ, CI straddling 1 + τ
        #expect(rule(0.01, 0.96, 0.95, 0.97) == .improved)
        #expect(rule(0.01, 1.01, 1.005, 1.015) == .same)  // significant yet smaller than τ
        #expect(rule(0.50, 1.0, 0.98, 1.02) == .same)  // the boundaries belong to "same"
        #expect(rule(0.50, 0.99, 0.97, 1.01) == .inconclusive)
    }

    @Test func holmCorrectionSpansEveryComparedCase() throws {
        let ids = (0..<6).map { "perf/copy/shape\($0)/f32" }
        let baseline = SyntheticRuns.record(
            ids.enumerated().map {
                SyntheticRuns.performanceCase(
                    $1,
                    rounds: SyntheticRuns.rounds(median: 1000, cv: 0.01, seed: UInt64(100 + $0))
                )
            }
        )
        let current = SyntheticRuns.record(
            ids.enumerated().map {
                SyntheticRuns.performanceCase(
                    $1,
                    rounds: SyntheticRuns.rounds(median: 1000, cv: 0.01, seed: UInt64(200 + $0))
                )
            }
        )
        let report = try Gate.compare(baseline: baseline, current: current)
        #expect(report.performance.count == 6)
        let smallest = try #require(report.performance.min { $0.pValue < $1.pValue })
        #expect(abs(smallest.adjustedPValue - Swift.min(1, 6 * smallest.pValue)) < 1e-12)
        #expect(report.performance.allSatisfy { $0.adjustedPValue >= $0.pValue })
    }
}
