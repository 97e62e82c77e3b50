import AssayCore
import Foundation

/// Summary statistics of performance samples (nanoseconds per call).
///
/// Conventions, chosen so every figure can be recomputed from the raw samples with
/// standard tools:
/// - Quantiles use linear interpolation between order statistics, numpy's default
///   (`np.quantile(x, p)`, Hyndman–Fan type 7): h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
/// - The median's 95% confidence interval is distribution-free, from order statistics:
///   [x(j), x(n+1−j)] with the largest j such that P(x(j) ≤ median ≤ x(n+1−j)) =
///   1 − 2·P(B ≤ j − 1) ≥ 0.95, B ~ Binomial(n, ½) — the narrowest symmetric pair of
///   ranks that keeps 95% coverage. Exact binomial for 6 ≤ n ≤ 200; beyond, the normal
///   approximation with continuity correction, j = ⌊n/2 − 1.96·√n/2 + ½⌋ (it matches
///   the exact rank for all but a handful of n and never under-covers). For n ≤ 5 no
///   pair reaches 95%, so the interval is [min, max] and is flagged `minMax`.
/// - stddev is the sample standard deviation (n − 1); CV = stddev / mean.
/// - Tukey fences count outliers, never drop them: mild beyond 1.5·IQR, severe beyond 3·IQR.
/// - Degenerate sizes: see `SummaryStatistics`.
///
/// Samples must be finite (the sampler rejects anything else); NaN has no order.
public enum Statistics {
    /// Two-sided 95% standard-normal quantile.
    static let z95 = 1.959963984540054
    /// Largest n whose median-CI ranks come from the exact binomial distribution.
    public static let exactMedianCILimit = 200

    /// Order-statistic confidence interval of the median.
    public struct MedianInterval: Sendable, Equatable {
        public var low: Double
        public var high: Double
        /// 1-based ranks j and n + 1 − j of the bounds (1 and n for `minMax`; 0 when empty).
        public var lowerRank: Int
        public var upperRank: Int
        public var method: SummaryStatistics.MedianCIMethod
    }

    public static func summarize(_ samples: [Double]) -> SummaryStatistics {
        summarize(sorted: samples.sorted())
    }

    /// `summarize` for samples already in ascending order (saves the sort).
    public static func summarize(sorted x: [Double]) -> SummaryStatistics {
        let n = x.count
        guard n > 0 else {
            return SummaryStatistics(
                n: 0,
                median: .nan,
                medianCILow: .nan,
                medianCIHigh: .nan,
                medianCIRelativeHalfWidth: .nan,
                min: .nan,
                max: .nan,
                p5: .nan,
                p25: .nan,
                p75: .nan,
                p95: .nan,
                p99: .nan,
                mean: .nan,
                stddev: .nan,
                cv: .nan,
                iqr: .nan,
                mildOutliers: 0,
                severeOutliers: 0,
                medianCIMethod: SummaryStatistics.MedianCIMethod.none
            )
        }
        let median = quantile(sorted: x, 0.5)
        let interval = medianInterval(sorted: x)
        let mean = x.reduce(0, +) / Double(n)
        // Two passes: the sum of squared deviations does not cancel catastrophically.
        let squares = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let stddev = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        let p25 = quantile(sorted: x, 0.25)
        let p75 = quantile(sorted: x, 0.75)
        let iqr = p75 - p25
        var mild = 0
        var severe = 0
        for value in x {
            let distance = value < p25 ? p25 - value : (value > p75 ? value - p75 : 0)
            if distance > 3 * iqr { severe += 1 } else if distance > 1.5 * iqr { mild += 1 }
        }
        return SummaryStatistics(
            n: n,
            median: median,
            medianCILow: interval.low,
            medianCIHigh: interval.high,
            medianCIRelativeHalfWidth: relativeHalfWidth(interval, median: median),
            min: x[0],
            max: x[n - 1],
            p5: quantile(sorted: x, 0.05),
            p25: p25,
            p75: p75,
            p95: quantile(sorted: x, 0.95),
            p99: quantile(sorted: x, 0.99),
            mean: mean,
            stddev: stddev,
            cv: ratio(stddev, mean),
            iqr: iqr,
            mildOutliers: mild,
            severeOutliers: severe,
            medianCIMethod: interval.method
        )
    }

    /// Type-7 quantile (numpy's default) of ascending `x`; NaN when empty.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let h = Double(x.count - 1) * Swift.min(Swift.max(p, 0), 1)
        let below = Int(h.rounded(.down))
        guard below + 1 < x.count else { return x[below] }
        return x[below] + (h - Double(below)) * (x[below + 1] - x[below])
    }

    /// The 95% CI of the median of ascending `x` (see the type's documentation).
    public static func medianInterval(sorted x: [Double]) -> MedianInterval {
        let n = x.count
        guard n > 0 else { return MedianInterval(low: .nan, high: .nan, lowerRank: 0, upperRank: 0, method: .none) }
        let (j, method) = medianCILowerRank(n: n)
        return MedianInterval(low: x[j - 1], high: x[n - j], lowerRank: j, upperRank: n + 1 - j, method: method)
    }

    /// The lower rank j (1-based) of the median's 95% CI for `n ≥ 1` samples; the upper is n + 1 − j.
    public static func medianCILowerRank(n: Int) -> (rank: Int, method: SummaryStatistics.MedianCIMethod) {
        // [min, max] covers 1 − 2^(1−n): below 95% up to n = 5.
        if n <= 5 { return (1, .minMax) }
        if n <= exactMedianCILimit {
            // Walk up the Binomial(n, ½) CDF; j stays the largest rank with P(B ≤ j − 1) ≤ 2.5%.
            // (0.025 is not dyadic, so no CDF value equals it and no tolerance is needed.)
            var pmf = pow(0.5, Double(n))
            var cdf = pmf
            var j = 1
            while j < n / 2 {
                pmf *= Double(n - j + 1) / Double(j)
                cdf += pmf
                if cdf > 0.025 { break }
                j += 1
            }
            return (j, .binomialExact)
        }
        let root = Double(n).squareRoot()
        let j = Int((Double(n) / 2 - z95 * root / 2 + 0.5).rounded(.down))
        return (Swift.max(1, j), .binomialNormal)
    }

    /// Half-width of `interval` relative to |median|: 0 for a point interval, +inf around a zero median.
    public static func relativeHalfWidth(_ interval: MedianInterval, median: Double) -> Double {
        ratio((interval.high - interval.low) / 2, median)
    }

    /// numerator / |denominator| without a NaN for 0/0 (a zero spread of zeros is no spread).
    static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
        if denominator == 0 { return numerator == 0 ? 0 : .infinity }
        return numerator / abs(denominator)
    }
}
