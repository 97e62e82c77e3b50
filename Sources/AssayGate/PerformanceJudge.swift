import AssayBench
import AssayCore
import Foundation

/// Judges every performance case present in the baseline run(s) and the current run(s).
///
/// Per case: the hierarchical ratio estimate (`HierarchicalRatio`: one value per round, the
/// interval and p-value from the spread between runs when either side has several — the
/// two-sample t on run means, B + C − 2 degrees of freedom, never below the spread between
/// rounds (the round floor) — between rounds otherwise); Holm's correction of those p-values across all compared cases;
/// τ = max(threshold, the between-unit spread). Then, in this order:
/// regressed if adj. p < α and ratio > 1 + τ; improved if adj. p < α and ratio < 1 − τ;
/// same if 1 − τ ≤ CI low and CI high ≤ 1 + τ; inconclusive otherwise — always inconclusive
/// when there is one unit per side (one baseline run and one round): no variance, no claim.
public enum PerformanceJudge {
    /// One case's samples on both sides: runs × rounds × samples.
    public struct Pair: Sendable {
        public var id: CaseID
        public var baseline: [[[Double]]]
        public var current: [[[Double]]]
        public var confirmed: Bool
        public init(id: CaseID, baseline: [[[Double]]], current: [[[Double]]], confirmed: Bool = false) {
            self.id = id
            self.baseline = baseline
            self.current = current
            self.confirmed = confirmed
        }
        /// One run per side, each one round: the single-run shape of records without rounds.
        public init(id: CaseID, baseline: [Double], current: [Double], confirmed: Bool = false) {
            self.init(id: id, baseline: [[baseline]], current: [[current]], confirmed: confirmed)
        }
    }

    /// The note of a case that has one unit per side.
    public static let noVarianceNote =
        "one baseline run and one round per side: the gate cannot separate a change from run-to-run noise "
        + "(measure with --rounds 2 or more, save several baseline runs, or pass several current runs)"

    /// The note of a run-level case whose runs have one round each: no round floor (docs/FORMATS.md, "Gate").
    public static let oneRoundNote =
        "one round per run: the spread between rounds cannot bound the runs' spread, so one slow round can pass "
        + "for a change (measure with --rounds 2 or more)"

    /// The cases the newest (last) baseline run and the current run(s) both measured, in that
    /// baseline run's order; every baseline run and every current run that measured the case
    /// contributes its rounds (several current runs: fresh processes, so the current side
    /// carries its own run-to-run variance).
    public static func pairs(
        baselines: [[CaseResult]],
        currents: [[CaseResult]],
        confirmed: Set<CaseID> = []
    ) -> [Pair] {
        func byID(_ run: [CaseResult]) -> [CaseID: CaseResult] {
            Dictionary(run.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        }
        let baselineByID = baselines.map(byID)
        let currentByID = currents.map(byID)
        func rounds(_ runs: [[CaseID: CaseResult]], _ id: CaseID) -> [[[Double]]] {
            runs.compactMap { $0[id]?.performance }.filter { !$0.samples.isEmpty }.map(\.roundSamples)
        }
        return (baselines.last ?? []).compactMap { first in
            let current = rounds(currentByID, first.id)
            let runs = rounds(baselineByID, first.id)
            guard !current.isEmpty, !runs.isEmpty else { return nil }
            return Pair(id: first.id, baseline: runs, current: current, confirmed: confirmed.contains(first.id))
        }
    }

    public static func pairs(baselines: [[CaseResult]], current: [CaseResult], confirmed: Set<CaseID> = []) -> [Pair] {
        pairs(baselines: baselines, currents: [current], confirmed: confirmed)
    }

    public static func pairs(baseline: [CaseResult], current: [CaseResult], confirmed: Set<CaseID> = []) -> [Pair] {
        pairs(baselines: [baseline], current: current, confirmed: confirmed)
    }

    public static func judge(_ pairs: [Pair], options: GateOptions) -> [PerformanceComparison] {
        let estimates = pairs.map {
            HierarchicalRatio.estimate(baseline: $0.baseline, current: $0.current, confidence: options.confidence)
        }
        // A case without a p-value takes part in Holm's correction as p = 1: it can never be significant.
        let adjusted = Holm.adjust(estimates.map { $0?.pValue ?? 1 })
        return pairs.indices.map {
            judge(pairs[$0], estimate: estimates[$0], adjustedPValue: adjusted[$0], options: options)
        }
    }

    static func judge(
        _ pair: Pair,
        estimate: HierarchicalEstimate?,
        adjustedPValue: Double,
        options: GateOptions
    ) -> PerformanceComparison {
        let baselineAll = pair.baseline.flatMap { $0.flatMap { $0 } }
        let currentAll = pair.current.flatMap { $0.flatMap { $0 } }
        let baseline = Statistics.summarize(baselineAll)
        let current = Statistics.summarize(currentAll)
        let relativeIQR = baseline.median > 0 ? baseline.iqr / baseline.median : .nan
        let tau = Swift.max(options.threshold, estimate?.unitSpread ?? 0)
        var comparison = PerformanceComparison(
            id: pair.id,
            verdict: .inconclusive,
            baselineSamples: baseline.n,
            currentSamples: current.n,
            baselineMedian: baseline.median,
            currentMedian: current.median,
            pValue: estimate?.pValue ?? 1,
            adjustedPValue: adjustedPValue,
            ratio: estimate?.ratio,
            ratioLow: estimate?.low,
            ratioHigh: estimate?.high,
            baselineRelativeIQR: relativeIQR,
            tau: tau,
            confirmed: pair.confirmed
        )
        comparison.baselineRuns = pair.baseline.count
        comparison.currentRounds = pair.current.first?.count
        if pair.current.count > 1 { comparison.currentRuns = pair.current.count }
        comparison.estimate = estimate
        guard let estimate else {
            comparison.note = "no ratio: a round is empty, non-finite or has a non-positive median"
            return comparison
        }
        guard let low = estimate.low, let high = estimate.high else {
            comparison.note = noVarianceNote
            return comparison
        }
        comparison.verdict = verdict(
            adjustedPValue: adjustedPValue,
            ratio: estimate.ratio,
            low: low,
            high: high,
            tau: tau,
            alpha: options.alpha
        )
        if estimate.level == .rounds {
            comparison.note =
                "between-round variance only: one baseline run, so run-to-run variance is not seen (save more baseline runs)"
        } else if estimate.roundFloor == nil {
            comparison.note = oneRoundNote
        }
        return comparison
    }

    /// The decision rule, on its own so it can be read and tested against docs/FORMATS.md.
    public static func verdict(
        adjustedPValue: Double,
        ratio: Double,
        low: Double,
        high: Double,
        tau: Double,
        alpha: Double
    ) -> PerformanceComparison.Verdict {
        let significant = adjustedPValue < alpha
        if significant, ratio > 1 + tau { return .regressed }
        if significant, ratio < 1 - tau { return .improved }
        if low >= 1 - tau, high <= 1 + tau { return .same }
        return .inconclusive
    }
}
