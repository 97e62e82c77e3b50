/// median(current) / median(baseline) with a bootstrap confidence interval.
public struct MedianRatioInterval: Codable, Sendable, Equatable {
    /// The point estimate from the samples themselves (> 1: current is slower).
    public var ratio: Double
    public var low: Double
    public var high: Double
    public var confidence: Double
    public var resamples: Int

    public init(ratio: Double, low: Double, high: Double, confidence: Double, resamples: Int) {
        self.ratio = ratio
        self.low = low
        self.high = high
        self.confidence = confidence
        self.resamples = resamples
    }
}
