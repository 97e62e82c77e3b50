/// The knobs of one gate decision (`assay gate`'s options); defaults are the documented ones.
public struct GateOptions: Codable, Sendable, Equatable {
    /// The smallest performance change that matters, as a fraction (0.02 is 2%).
    public var threshold: Double
    /// Family-wise significance level for the Holm-adjusted p-values.
    public var alpha: Double
    /// When true, a case missing from the current run is reported but does not fail the gate.
    public var allowMissing: Bool
    /// When true, runs whose identities differ (`RunIdentity`) are compared anyway.
    public var allowDifferentTarget: Bool
    /// Confidence level of the hierarchical ratio interval (closed form: the same two records
    /// always give the same verdicts).
    public var confidence: Double
    /// Settings of the former bootstrap interval, kept so older gate.json files still decode
    /// and readers keep their fields; the hierarchical interval does not use them.
    public var resamples: Int
    public var seed: UInt64

    public init(
        threshold: Double = 0.02,
        alpha: Double = 0.05,
        allowMissing: Bool = false,
        allowDifferentTarget: Bool = false,
        confidence: Double = 0.95,
        resamples: Int = 2000,
        seed: UInt64 = 0x00A5_5A7B_E4C4
    ) {
        self.threshold = threshold
        self.alpha = alpha
        self.allowMissing = allowMissing
        self.allowDifferentTarget = allowDifferentTarget
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
    }
}
