/// The summary of one performance case's samples, in nanoseconds per call.
///
/// Computed by `AssayBench.Statistics`; kept here because the run record carries it.
/// The raw samples sit beside it in `PerformanceRecord`, so every figure can be recomputed.
/// Quantiles use numpy's default linear interpolation (Hyndman–Fan type 7).
///
/// Degenerate sizes: n = 0 gives NaN for every figure (written "nan" by `RecordCoding`)
/// and zero counts; n = 1 gives that value everywhere with stddev and CV 0; for n ≤ 5 no
/// pair of order statistics reaches 95% coverage, so the CI is [min, max] (method `minMax`).
public struct SummaryStatistics: Codable, Sendable, Equatable {
    /// How the median's confidence interval was obtained.
    public enum MedianCIMethod: String, Codable, Sendable, CaseIterable {
        /// Symmetric order statistics from the exact Binomial(n, ½) distribution (6 ≤ n ≤ 200).
        case binomialExact
        /// Symmetric order statistics from the normal approximation to Binomial(n, ½) (n > 200).
        case binomialNormal
        /// [min, max], whose coverage 1 − 2^(1−n) is below 95% (n ≤ 5).
        case minMax
        /// No samples.
        case none
    }

    /// Number of samples.
    public var n: Int
    public var median: Double
    /// 95% confidence interval of the median (distribution-free, order statistics).
    public var medianCILow: Double
    public var medianCIHigh: Double
    /// Half-width of the median CI relative to the median (0.01 is ±1%).
    public var medianCIRelativeHalfWidth: Double
    /// nil in records written before the method was recorded.
    public var medianCIMethod: MedianCIMethod?
    public var min: Double
    public var max: Double
    public var p5: Double
    public var p25: Double
    public var p75: Double
    public var p95: Double
    public var p99: Double
    public var mean: Double
    public var stddev: Double
    /// Coefficient of variation: stddev / mean.
    public var cv: Double
    /// Interquartile range p75 - p25.
    public var iqr: Double
    /// Tukey fences, counted, never dropped: mild = beyond 1.5·IQR from the quartiles but
    /// within 3·IQR; severe = beyond 3·IQR. The two counts are disjoint.
    public var mildOutliers: Int
    public var severeOutliers: Int

    public init(
        n: Int,
        median: Double,
        medianCILow: Double,
        medianCIHigh: Double,
        medianCIRelativeHalfWidth: Double,
        min: Double,
        max: Double,
        p5: Double,
        p25: Double,
        p75: Double,
        p95: Double,
        p99: Double,
        mean: Double,
        stddev: Double,
        cv: Double,
        iqr: Double,
        mildOutliers: Int,
        severeOutliers: Int,
        medianCIMethod: MedianCIMethod? = nil
    ) {
        self.n = n
        self.median = median
        self.medianCILow = medianCILow
        self.medianCIHigh = medianCIHigh
        self.medianCIRelativeHalfWidth = medianCIRelativeHalfWidth
        self.min = min
        self.max = max
        self.p5 = p5
        self.p25 = p25
        self.p75 = p75
        self.p95 = p95
        self.p99 = p99
        self.mean = mean
        self.stddev = stddev
        self.cv = cv
        self.iqr = iqr
        self.mildOutliers = mildOutliers
        self.severeOutliers = severeOutliers
        self.medianCIMethod = medianCIMethod
    }
}
