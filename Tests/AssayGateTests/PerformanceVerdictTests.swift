import AssayCore
import Testing
@testable import AssayGate

/// The performance half of the gate on seeded synthetic samples (no timing involved).
struct PerformanceVerdictTests {
    let id = "perf/matmul/m64.n64.k64/f32"

    func verdict(baseline: [Double], current: [Double], options: GateOptions = GateOptions()) throws -> PerformanceComparison {
        let report = try Gate.compare(baseline: SyntheticRuns.record([SyntheticRuns.performanceCase(id, samples: baseline)]),
                                      current: SyntheticRuns.record([SyntheticRuns.performanceCase(id, samples: current)]), options: options)
        #expect(report.performance.count == 1)
        return report.performance[0]
    }

    @Test func identicalDistributionsAreSame() throws {
        let baseline = SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 1)
        let fresh = try verdict(baseline: baseline, current: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 2))
        #expect(fresh.verdict == .same)
        let identical = try verdict(baseline: baseline, current: baseline)
        #expect(identical.verdict == .same)
        #expect(identical.pValue > 0.9)
    }

    @Test func plantedFivePercentSlowdownUnderOnePercentNoiseRegresses() throws {
        let result = try verdict(baseline: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 11),
                                 current: SyntheticRuns.samples(median: 105_000, cv: 0.01, seed: 12))
        #expect(result.verdict == .regressed)
        #expect(result.adjustedPValue < 0.05)
        #expect(try #require(result.ratioLow) > 1 + result.tau)
        // τ is the noise rule, not the 2% floor: 3 × IQR/median of ~1.35% noise.
        #expect(result.tau > 0.02 && result.tau < 0.05)
    }

    @Test func plantedEightPercentSpeedupImproves() throws {
        // 8%, not 5%: τ ≈ 4% at 1% noise, so a 5% change sits at the edge of the resolution.
        let result = try verdict(baseline: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 21),
                                 current: SyntheticRuns.samples(median: 92_000, cv: 0.01, seed: 22))
        #expect(result.verdict == .improved, "\(result)")
    }

    @Test func onePercentChangeInsideThreePercentNoiseDoesNotRegress() throws {
        let result = try verdict(baseline: SyntheticRuns.samples(median: 100_000, cv: 0.03, seed: 31),
                                 current: SyntheticRuns.samples(median: 101_000, cv: 0.03, seed: 32))
        #expect(result.verdict == .same)
        #expect(result.tau > 0.08)   // 3 × relative IQR of 3% noise ≈ 12%
    }

    /// Verdict counts over many seeds of baseline/current pairs with the given shift.
    func sweep(shift: Double, cv: Double = 0.01, seeds: Int = 100) throws -> [PerformanceComparison.Verdict: Int] {
        var counts: [PerformanceComparison.Verdict: Int] = [:]
        for seed in 0..<UInt64(seeds) {
            let result = try verdict(baseline: SyntheticRuns.samples(median: 100_000, cv: cv, seed: 1000 + 2 * seed),
                                     current: SyntheticRuns.samples(median: 100_000 * shift, cv: cv, seed: 1001 + 2 * seed))
            counts[result.verdict, default: 0] += 1
        }
        return counts
    }

    @Test func equalDistributionsAreNeverCalledRegressedAcrossSeeds() throws {
        #expect(try sweep(shift: 1.0) == [.same: 100])
    }

    @Test func sixPercentSlowdownIsCaughtAcrossSeeds() throws {
        let counts = try sweep(shift: 1.06)
        #expect(counts[.same] == nil && counts[.improved] == nil, "\(counts)")
        #expect(counts[.regressed, default: 0] >= 90, "\(counts)")
    }

    @Test func tooFewSamplesAreInconclusive() throws {
        // Four samples each: the ratio's CI is wide and straddles 1 + τ.
        let result = try verdict(baseline: [100, 101, 99, 100], current: [103, 110, 99, 106])
        #expect(result.verdict == .inconclusive)
    }

    @Test func decisionRuleAsDocumented() {
        let rule = { (p: Double, low: Double, high: Double) in PerformanceJudge.verdict(adjustedPValue: p, low: low, high: high, tau: 0.02, alpha: 0.05) }
        #expect(rule(0.01, 1.03, 1.05) == .regressed)
        #expect(rule(0.20, 1.03, 1.05) == .inconclusive)   // CI beyond τ but not significant
        #expect(rule(0.01, 1.01, 1.05) == .inconclusive)   // significant but the CI straddles 1 + τ
        #expect(rule(0.01, 0.95, 0.97) == .improved)
        #expect(rule(0.01, 1.005, 1.015) == .same)          // significant yet smaller than τ
        #expect(rule(0.50, 0.98, 1.02) == .same)            // the boundaries belong to "same"
        #expect(rule(0.50, 0.97, 1.01) == .inconclusive)
    }

    @Test func holmCorrectionSpansEveryComparedCase() throws {
        let ids = (0..<6).map { "perf/copy/shape\($0)/f32" }
        let baseline = SyntheticRuns.record(ids.enumerated().map { SyntheticRuns.performanceCase($1, samples: SyntheticRuns.samples(median: 1000, cv: 0.01, seed: UInt64(100 + $0))) })
        let current = SyntheticRuns.record(ids.enumerated().map { SyntheticRuns.performanceCase($1, samples: SyntheticRuns.samples(median: 1000, cv: 0.01, seed: UInt64(200 + $0))) })
        let report = try Gate.compare(baseline: baseline, current: current)
        #expect(report.performance.count == 6)
        let smallest = try #require(report.performance.min { $0.pValue < $1.pValue })
        #expect(abs(smallest.adjustedPValue - Swift.min(1, 6 * smallest.pValue)) < 1e-12)
        #expect(report.performance.allSatisfy { $0.adjustedPValue >= $0.pValue })
    }

    @Test func confirmationSamplesAreAppendedAndMarked() throws {
        let baselineSamples = SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 41)
        let current = SyntheticRuns.record([SyntheticRuns.performanceCase(id, samples: Array(SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 42).prefix(5)))])
        let caseID = try CaseID(parsing: id)
        let augmented = Gate.appending([caseID: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 43)], to: current)
        #expect(augmented.cases[0].performance?.samples.count == 55)
        #expect(augmented.cases[0].performance?.summary.n == 55)
        let report = try Gate.compare(baseline: SyntheticRuns.record([SyntheticRuns.performanceCase(id, samples: baselineSamples)]),
                                      current: augmented, confirmed: [caseID])
        #expect(report.performance[0].confirmed)
        #expect(report.performance[0].verdict == .same)
    }
}
