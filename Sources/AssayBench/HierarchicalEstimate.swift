/// The ratio of two sides measured in runs and rounds, with its confidence interval from the
/// variance between units (runs or rounds), not between samples (docs/FORMATS.md, "Gate").
public struct HierarchicalEstimate: Codable, Sendable, Equatable {
    /// The unit whose spread the interval is built from.
    public enum Level: String, Codable, Sendable {
        /// Whole runs: the baseline holds several runs, so run-to-run variance is seen.
        case runs
        /// Rounds within one run per side: round-to-round variance only.
        case rounds
    }

    /// exp(mean log-median(current) − mean log-median(baseline)): > 1 is slower.
    public var ratio: Double
    /// The confidence interval of the ratio and the two-sided p-value of "no change"; nil when
    /// there is no unit-to-unit variance to build them from (one unit per side).
    public var low: Double?
    public var high: Double?
    public var pValue: Double?
    /// Degrees of freedom of the pooled between-unit variance (units on both sides − 2).
    public var degreesOfFreedom: Int
    public var level: Level
    public var baselineUnits: Int
    public var currentUnits: Int
    /// The pooled standard deviation of one unit's log-median: the relative run-to-run (or
    /// round-to-round) noise of one measurement; nil with no degrees of freedom.
    public var unitSpread: Double?
    /// Run level: √(pooled within-run round variance / rounds per run), the least the spread of
    /// a run's value can be; `unitSpread` is never below it (absent in older reports).
    public var roundFloor: Double?
    /// Run level: √(the current runs' own round variance / rounds per run) when it exceeds the
    /// spread, which the current side then takes (absent otherwise).
    public var currentRoundFloor: Double?

    public init(
        ratio: Double,
        low: Double?,
        high: Double?,
        pValue: Double?,
        degreesOfFreedom: Int,
        level: Level,
        baselineUnits: Int,
        currentUnits: Int,
        unitSpread: Double?
    ) {
        self.ratio = ratio
        self.low = low
        self.high = high
        self.pValue = pValue
        self.degreesOfFreedom = degreesOfFreedom
        self.level = level
        self.baselineUnits = baselineUnits
        self.currentUnits = currentUnits
        self.unitSpread = unitSpread
    }
}
