import AssayBench
import AssayCore

/// The gate's judgement of one performance case present in both runs.
public struct PerformanceComparison: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable, CaseIterable {
        /// Significant (Holm-adjusted p < α) and the ratio above 1 + τ.
        case regressed
        /// Significant and the ratio below 1 − τ.
        case improved
        /// The whole ratio CI within [1 − τ, 1 + τ]: any change is smaller than τ.
        case same
        /// None of the above: the data cannot tell (too noisy, one unit per side, or straddling τ).
        case inconclusive
    }

    public var id: CaseID
    public var verdict: Verdict
    public var baselineSamples: Int
    public var currentSamples: Int
    /// Median time per call (ns) of each run.
    public var baselineMedian: Double
    public var currentMedian: Double
    /// Two-sided p-value of the hierarchical t test (1 when it has no degrees of freedom), and
    /// after Holm's correction across every compared case.
    public var pValue: Double
    public var adjustedPValue: Double
    /// The hierarchical ratio (> 1 is slower) and its CI; the CI is nil with one unit per side.
    public var ratio: Double?
    public var ratioLow: Double?
    public var ratioHigh: Double?
    /// The baseline's within-run IQR / median (informational), and the decision threshold
    /// τ = max(threshold, between-unit spread).
    public var baselineRelativeIQR: Double
    public var tau: Double
    /// True when the current samples include a confirmation re-run (`--confirm`).
    public var confirmed: Bool
    /// Why the verdict is inconclusive when the figures alone do not say (e.g. no samples).
    public var note: String?
    /// How many baseline runs and current rounds the case had (absent in reports written before rounds).
    public var baselineRuns: Int?
    public var currentRounds: Int?
    /// How many current runs the case had, when more than one (fresh processes per run).
    public var currentRuns: Int?
    /// The hierarchical estimate the verdict came from: level, units, degrees of freedom, spread.
    public var estimate: HierarchicalEstimate?

    public init(
        id: CaseID,
        verdict: Verdict,
        baselineSamples: Int,
        currentSamples: Int,
        baselineMedian: Double,
        currentMedian: Double,
        pValue: Double,
        adjustedPValue: Double,
        ratio: Double?,
        ratioLow: Double?,
        ratioHigh: Double?,
        baselineRelativeIQR: Double,
        tau: Double,
        confirmed: Bool = false,
        note: String? = nil
    ) {
        self.id = id
        self.verdict = verdict
        self.baselineSamples = baselineSamples
        self.currentSamples = currentSamples
        self.baselineMedian = baselineMedian
        self.currentMedian = currentMedian
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.ratio = ratio
        self.ratioLow = ratioLow
        self.ratioHigh = ratioHigh
        self.baselineRelativeIQR = baselineRelativeIQR
        self.tau = tau
        self.confirmed = confirmed
        self.note = note
    }
}
