import AssayCore

/// How much slower (or faster) `current` is than `baseline`, with an interval: the gate's
/// effect size, beside Mann–Whitney's "is there a difference at all".
public enum MedianRatio {
    /// Percentile bootstrap of median(current) / median(baseline).
    ///
    /// Each of `resamples` replicates draws, with replacement, `baseline.count` values of
    /// the baseline and then `current.count` values of the current sample, from one
    /// `SplitMix64(seed:)` stream (indices by `nextInt(in:)`), and takes the ratio of the
    /// two type-7 medians; the interval is the type-7 quantiles (1 ∓ confidence)/2 of the
    /// replicate ratios. Same inputs and seed, same interval, on any machine.
    ///
    /// Returns nil when a sample is empty or non-finite, the baseline median is not
    /// positive, `confidence` is outside (0, 1) or `resamples` < 1.
    public static func confidenceInterval(
        baseline: [Double],
        current: [Double],
        confidence: Double = 0.95,
        resamples: Int = 2000,
        seed: UInt64 = 0x00A5_5A7B_E4C4
    ) -> MedianRatioInterval? {
        guard !baseline.isEmpty, !current.isEmpty, confidence > 0, confidence < 1, resamples >= 1,
            baseline.allSatisfy(\.isFinite), current.allSatisfy(\.isFinite)
        else { return nil }
        let sortedBaseline = baseline.sorted()
        let sortedCurrent = current.sorted()
        let baselineMedian = Statistics.quantile(sorted: sortedBaseline, 0.5)
        guard baselineMedian > 0 else { return nil }
        let ratio = Statistics.quantile(sorted: sortedCurrent, 0.5) / baselineMedian

        var generator = SplitMix64(seed: seed)
        var baselineCounts = [Int](repeating: 0, count: baseline.count)
        var currentCounts = [Int](repeating: 0, count: current.count)
        var ratios: [Double] = []
        ratios.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let b = resampledMedian(sortedBaseline, counts: &baselineCounts, generator: &generator)
            let c = resampledMedian(sortedCurrent, counts: &currentCounts, generator: &generator)
            ratios.append(c / b)
        }
        ratios.sort()
        let tail = (1 - confidence) / 2
        return MedianRatioInterval(
            ratio: ratio,
            low: Statistics.quantile(sorted: ratios, tail),
            high: Statistics.quantile(sorted: ratios, 1 - tail),
            confidence: confidence,
            resamples: resamples
        )
    }

    /// Median of a resample of ascending `sorted`, in O(n) without sorting the resample:
    /// drawing indices and reading `sorted` at them preserves order, so the resample's
    /// order statistics are `sorted` at the order statistics of the drawn indices, which a
    /// histogram of the indices gives.
    static func resampledMedian(_ sorted: [Double], counts: inout [Int], generator: inout SplitMix64) -> Double {
        let n = sorted.count
        for index in counts.indices { counts[index] = 0 }
        for _ in 0..<n { counts[generator.nextInt(in: 0...(n - 1))] += 1 }
        // Type-7 median: the order statistics at 0-based positions ⌊(n−1)/2⌋ and ⌈(n−1)/2⌉.
        let lowPosition = (n - 1) / 2
        let highPosition = n / 2
        var low = Double.nan
        var seen = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if low.isNaN, seen > lowPosition { low = sorted[index] }
            if seen > highPosition { return (low + sorted[index]) / 2 }
        }
        return low
    }
}
