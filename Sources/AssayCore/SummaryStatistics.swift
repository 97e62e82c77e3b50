/// The summary of one performance case's samples, in nanoseconds per call.
///
/// Computed by `AssayBench.Statistics`; kept here because the run record carries it.
/// The raw samples sit beside it in `PerformanceRecord`, so every figure can be recomputed.
public struct SummaryStatistics: Codable, Sendable, Equatable {
    /// Number of samples.
    public var n: Int
    public var median: Double
    /// 95% confidence interval of the median (distribution-free, order statistics).
    public var medianCILow: Double
    public var medianCIHigh: Double
    /// Half-width of the median CI relative to the median (0.01 is ±1%).
    public var medianCIRelativeHalfWidth: Double
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
    /// Tukey fences (1.5·IQR and 3·IQR): outliers are counted, never dropped.
    public var mildOutliers: Int
    public var severeOutliers: Int

    public init(n: Int, median: Double, medianCILow: Double, medianCIHigh: Double,
                medianCIRelativeHalfWidth: Double, min: Double, max: Double,
                p5: Double, p25: Double, p75: Double, p95: Double, p99: Double,
                mean: Double, stddev: Double, cv: Double, iqr: Double,
                mildOutliers: Int, severeOutliers: Int) {
        self.n = n; self.median = median
        self.medianCILow = medianCILow; self.medianCIHigh = medianCIHigh
        self.medianCIRelativeHalfWidth = medianCIRelativeHalfWidth
        self.min = min; self.max = max
        self.p5 = p5; self.p25 = p25; self.p75 = p75; self.p95 = p95; self.p99 = p99
        self.mean = mean; self.stddev = stddev; self.cv = cv; self.iqr = iqr
        self.mildOutliers = mildOutliers; self.severeOutliers = severeOutliers
    }
}
