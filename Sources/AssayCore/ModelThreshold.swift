/// What a model case must meet in one dtype (a suite's `thresholds:`), with the reason for the
/// numbers: the verdict of a whole graph against its float64 reference (docs/FORMATS.md, "Model cases").
public struct ModelThreshold: Codable, Sendable, Equatable {
    /// Largest allowed max|a − e| / max|e| of each output.
    public var maxRelative: Double
    /// Smallest allowed cosine similarity of each output with its reference.
    public var minCosine: Double
    /// Logits outputs (a graph with a token input): the smallest allowed share of positions whose
    /// top-1 token, and whose top-5 set, agree with the reference's; the largest allowed mean KL
    /// divergence KL(reference ‖ actual) of the softmax distributions, in nats.
    public var minTop1: Double?
    public var minTop5: Double?
    public var maxKL: Double?
    public var reason: String

    public init(
        maxRelative: Double,
        minCosine: Double,
        minTop1: Double? = nil,
        minTop5: Double? = nil,
        maxKL: Double? = nil,
        reason: String
    ) {
        self.maxRelative = maxRelative
        self.minCosine = minCosine
        self.minTop1 = minTop1
        self.minTop5 = minTop5
        self.maxKL = maxKL
        self.reason = reason
    }
}
