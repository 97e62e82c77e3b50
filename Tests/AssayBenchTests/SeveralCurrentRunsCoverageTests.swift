import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBench

/// Several current runs (fresh processes): the interval is the two-sample t on both sides' run
/// means, B + C − 2 degrees of freedom, with the round floors (docs/DECISIONS.md, "Gate: several
/// current runs"). Its coverage over many simulated A/A and 5% pairs must be nominal, and two
/// deliberately wrong ways of using the current runs must fail the same check.
struct SeveralCurrentRunsCoverageTests {
    let study = HierarchicalRatioTests()

    func hierarchical(_ baseline: [[[Double]]], _ current: [[[Double]]]) -> (low: Double, high: Double)? {
        study.hierarchical(baseline, current)
    }

    /// Run-to-run variance dominating, and run and round variance alike (where the floors bind
    /// more often): coverage of the 95% interval lies in 93–97% for C = 3 and 5 current runs
    /// against baselines of 3 and 5 runs. Against one baseline run (df = 2) the floors bind
    /// often and only widen: there the interval is conservative (≈ 98.5% on run = round), never
    /// below 93%.
    @Test func coverageWithSeveralCurrentRunsIsNominal() {
        let models = [
            ("run-level", RandomEffectsModel(runSD: 0.04, roundSD: 0.01, sampleSD: 0.05)),
            ("run = round", RandomEffectsModel(runSD: 0.03, roundSD: 0.03, sampleSD: 0.02)),
        ]
        var seed: UInt64 = 2500
        for (name, model) in models {
            for (baselineRuns, currentRuns, ratio) in [(5, 3, 1.0), (3, 5, 1.0), (5, 5, 1.05), (1, 3, 1.0)] {
                seed += 1
                let (covered, formed) = study.coverage(
                    model,
                    trueRatio: ratio,
                    baselineRuns: baselineRuns,
                    currentRuns: currentRuns,
                    rounds: 3,
                    pairs: 2000,
                    seed: seed,
                    interval: hierarchical
                )
                let rate = Double(covered) / Double(formed)
                print(
                    "hierarchical CI, \(name) model, B = \(baselineRuns), C = \(currentRuns), ratio \(ratio): "
                        + "covers the truth in \(covered)/\(formed)"
                )
                #expect(formed == 2000)
                #expect(
                    rate >= 0.93 && (rate <= 0.97 || baselineRuns == 1),
                    "\(name) B \(baselineRuns) C \(currentRuns): \(covered)/\(formed)"
                )
            }
        }
    }

    /// A wrong interval's coverage on the run-level model (B = 5, C = 3, R = 3, A/A), printed.
    func wrongCoverage(
        _ name: String,
        seed: UInt64,
        interval: ([[[Double]]], [[[Double]]]) -> (low: Double, high: Double)?
    ) -> (covered: Int, formed: Int) {
        let model = RandomEffectsModel(runSD: 0.04, roundSD: 0.01, sampleSD: 0.05)
        let result = study.coverage(
            model,
            trueRatio: 1,
            baselineRuns: 5,
            currentRuns: 3,
            rounds: 3,
            pairs: 2000,
            seed: seed,
            interval: interval
        )
        print("\(name) (wrong on purpose): covers the truth in \(result.covered)/\(result.formed)")
        return result
    }

    /// Wrong on purpose: every round of every current run taken as a run of its own (rounds as
    /// runs on the current side). The current mean then looks C·R-fold precise while its run
    /// effects are shared by R of those "runs": the interval is too narrow.
    @Test func currentRoundsAsRunsFailTheCoverageCheck() {
        let (covered, formed) = wrongCoverage("current rounds as runs", seed: 2601) { baseline, current in
            hierarchical(baseline, current.flatMap { run in run.map { [$0] } })
        }
        #expect(formed == 2000 && Double(covered) / Double(formed) < 0.93, "\(covered)/\(formed)")
    }

    /// Wrong on purpose: the current side's variance ignored (its mean of C runs taken as exact,
    /// the interval from the baseline's spread alone, on B − 1 degrees of freedom).
    @Test func ignoringTheCurrentSidesVarianceFailsTheCoverageCheck() {
        let (covered, formed) = wrongCoverage("current side's variance ignored", seed: 2602) { baseline, current in
            guard let base = HierarchicalRatio.runValues(baseline), let now = HierarchicalRatio.runValues(current),
                base.count > 1
            else { return nil }
            let baseMeans = base.map(\.mean)
            let mean = baseMeans.reduce(0, +) / Double(baseMeans.count)
            let variance = baseMeans.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(baseMeans.count - 1)
            let difference = now.map(\.mean).reduce(0, +) / Double(now.count) - mean
            let half =
                StudentT.quantile(0.975, degreesOfFreedom: Double(baseMeans.count - 1))
                * (variance / Double(baseMeans.count)).squareRoot()
            return (exp(difference - half), exp(difference + half))
        }
        #expect(formed == 2000 && Double(covered) / Double(formed) < 0.93, "\(covered)/\(formed)")
    }

    /// The estimate's shape with several current runs: the run level, C current units, B + C − 2
    /// degrees of freedom; one current run per side keeps today's single-run estimate.
    @Test func severalCurrentRunsAreUnitsOfTheRunLevel() throws {
        var generator = SplitMix64(seed: 2603)
        let model = RandomEffectsModel(runSD: 0.03, roundSD: 0.03, sampleSD: 0.02)
        let baseline = model.side(level: 1000, runs: 5, rounds: 3, samples: 5, &generator)
        let current = model.side(level: 1000, runs: 4, rounds: 3, samples: 5, &generator)
        let estimate = try #require(HierarchicalRatio.estimate(baseline: baseline, current: current))
        #expect(estimate.level == .runs && estimate.currentUnits == 4 && estimate.degreesOfFreedom == 7)
        // One baseline run and one current run of rounds: still the round level (unchanged).
        let single = try #require(HierarchicalRatio.estimate(baseline: [baseline[0]], current: [current[0]]))
        #expect(single.level == .rounds && single.degreesOfFreedom == 4)
        // One baseline run with several current runs: the run level, B + C − 2 = 3.
        let oneBase = try #require(HierarchicalRatio.estimate(baseline: [baseline[0]], current: current))
        #expect(oneBase.level == .runs && oneBase.degreesOfFreedom == 3 && oneBase.low != nil)
    }
}
