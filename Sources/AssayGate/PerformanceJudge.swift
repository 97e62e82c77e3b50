import AssayBench
import AssayCore

/// Judges every performance case present in both runs with samples on both sides.
///
/// Per case: Mann–Whitney U (two-sided) on the raw samples; Holm's correction across all
/// compared cases; the bootstrap CI of median(current)/median(baseline) with a fixed seed;
/// τ = max(threshold, 3 × baseline IQR/median). Then, in this order:
/// regressed if adj. p < α and CI low > 1 + τ; improved if adj. p < α and CI high < 1 − τ;
/// same if 1 − τ ≤ CI low and CI high ≤ 1 + τ; inconclusive otherwise.
public enum PerformanceJudge {
    /// One side-by-side pair of sample sets to judge.
    public struct Pair: Sendable {
        public var id: CaseID
        public var baseline: [Double]
        public var current: [Double]
        public var confirmed: Bool
        public init(id: CaseID, baseline: [Double], current: [Double], confirmed: Bool = false) {
            self.id = id; self.baseline = baseline; self.current = current; self.confirmed = confirmed
        }
    }

    /// The cases both runs measured, in the baseline's order.
    public static func pairs(baseline: [CaseResult], current: [CaseResult], confirmed: Set<CaseID> = []) -> [Pair] {
        let currentByID = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return baseline.compactMap { old in
            guard let oldSamples = old.performance?.samples, !oldSamples.isEmpty,
                  let newSamples = currentByID[old.id]?.performance?.samples, !newSamples.isEmpty else { return nil }
            return Pair(id: old.id, baseline: oldSamples, current: newSamples, confirmed: confirmed.contains(old.id))
        }
    }

    public static func judge(_ pairs: [Pair], options: GateOptions) -> [PerformanceComparison] {
        let pValues = pairs.map { MannWhitneyU.test($0.baseline, $0.current).pValue }
        let adjusted = Holm.adjust(pValues)
        return pairs.indices.map { index in
            judge(pairs[index], pValue: pValues[index], adjustedPValue: adjusted[index], options: options)
        }
    }

    static func judge(_ pair: Pair, pValue: Double, adjustedPValue: Double, options: GateOptions) -> PerformanceComparison {
        let baseline = Statistics.summarize(pair.baseline), current = Statistics.summarize(pair.current)
        let relativeIQR = baseline.median > 0 ? baseline.iqr / baseline.median : .nan
        let tau = Swift.max(options.threshold, relativeIQR.isFinite ? GateOptions.noiseMultiplier * relativeIQR : 0)
        let interval = MedianRatio.confidenceInterval(baseline: pair.baseline, current: pair.current, confidence: options.confidence,
                                                      resamples: options.resamples, seed: options.seed)
        var comparison = PerformanceComparison(id: pair.id, verdict: .inconclusive, baselineSamples: baseline.n, currentSamples: current.n,
                                               baselineMedian: baseline.median, currentMedian: current.median, pValue: pValue,
                                               adjustedPValue: adjustedPValue, ratio: interval?.ratio, ratioLow: interval?.low,
                                               ratioHigh: interval?.high, baselineRelativeIQR: relativeIQR, tau: tau,
                                               confirmed: pair.confirmed)
        guard let interval, relativeIQR.isFinite else {
            comparison.note = "no median ratio: a sample set is empty, non-finite or has a non-positive median"
            return comparison
        }
        comparison.verdict = verdict(adjustedPValue: adjustedPValue, low: interval.low, high: interval.high, tau: tau, alpha: options.alpha)
        return comparison
    }

    /// The decision rule, on its own so it can be read and tested against docs/FORMATS.md.
    public static func verdict(adjustedPValue: Double, low: Double, high: Double, tau: Double, alpha: Double) -> PerformanceComparison.Verdict {
        let significant = adjustedPValue < alpha
        if significant, low > 1 + tau { return .regressed }
        if significant, high < 1 - tau { return .improved }
        if low >= 1 - tau, high <= 1 + tau { return .same }
        return .inconclusive
    }
}
