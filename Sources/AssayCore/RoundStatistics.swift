/// One round of a performance case: a fresh sampler run taken after the other cases had run
/// (docs/FORMATS.md, "Rounds"). Its samples are the `samples` consecutive entries of the
/// case's `samples` array that follow the earlier rounds'.
public struct RoundStatistics: Codable, Sendable, Equatable {
    /// 1-based round number.
    public var round: Int
    /// How many of the case's samples this round contributed.
    public var samples: Int
    /// Median and IQR of this round's samples (ns per call).
    public var median: Double
    public var iqr: Double
    public var converged: Bool
    public var stopReason: String

    public init(round: Int, samples: Int, median: Double, iqr: Double, converged: Bool, stopReason: String) {
        self.round = round
        self.samples = samples
        self.median = median
        self.iqr = iqr
        self.converged = converged
        self.stopReason = stopReason
    }
}
