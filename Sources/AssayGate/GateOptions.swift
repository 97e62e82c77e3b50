/// The knobs of one gate decision (`assay gate`'s options); defaults are the documented ones.
public struct GateOptions: Codable, Sendable, Equatable {
    /// The smallest performance change that matters, as a fraction (0.02 is 2%).
    public var threshold: Double
    /// Family-wise significance level for the Holm-adjusted Mann–Whitney p-values.
    public var alpha: Double
    /// When true, a case missing from the current run is reported but does not fail the gate.
    public var allowMissing: Bool
    /// When true, runs whose identities differ (`RunIdentity`) are compared anyway.
    public var allowDifferentTarget: Bool
    /// Confidence level and bootstrap settings of the median-ratio interval. The seed is fixed
    /// so the same two records always give the same verdicts.
    public var confidence: Double
    public var resamples: Int
    public var seed: UInt64

    public init(threshold: Double = 0.02, alpha: Double = 0.05, allowMissing: Bool = false, allowDifferentTarget: Bool = false,
                confidence: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0x00A5_5A7B_E4C4) {
        self.threshold = threshold; self.alpha = alpha; self.allowMissing = allowMissing
        self.allowDifferentTarget = allowDifferentTarget; self.confidence = confidence
        self.resamples = resamples; self.seed = seed
    }

    /// The noise multiplier of τ = max(threshold, 3 × baseline IQR / median).
    public static let noiseMultiplier = 3.0
}
