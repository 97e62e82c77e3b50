import Foundation

/// Whether a sample set has two separated modes (a kernel that flips between a fast and a
/// slow path, e.g. 24 µs or 1.15 ms per call when a helper thread is descheduled) — a median
/// of such samples converges to whichever mode is more frequent, and its tight CI says nothing
/// about the next run.
///
/// Method: on log times, the best split into two clusters (exact 1-D 2-means over the sorted
/// samples, each cluster ≥ `minimumFraction` of them), then Ashman's D =
/// √2·|μ₁ − μ₂| / √(σ₁² + σ₂²) (Ashman, Bird & Zepf 1994). Bimodal when D > `threshold`.
/// The best split of unimodal data scores D ≈ 2.7 (normal) or ≈ 3.5 (uniform) for large n and
/// up to ≈ 5 for 30 uniform samples, so the threshold is 6, above those, not the textbook 2
/// meant for fitted mixtures; two modes 10% apart with 1% noise score ≈ 14, the issue's
/// 24 µs / 1.15 ms kernel far more.
public struct Bimodality: Sendable, Equatable {
    /// The two modes' medians (ns) and the fraction of samples in the slower one.
    public var fastMode: Double
    public var slowMode: Double
    public var slowFraction: Double
    public var ashmanD: Double

    public static let threshold = 6.0
    public static let minimumFraction = 0.05
    public static let minimumSamples = 20

    /// nil when the samples are not bimodal (or too few to say).
    public static func assess(sorted x: [Double]) -> Bimodality? {
        let n = x.count
        guard n >= minimumSamples, let first = x.first, first > 0 else { return nil }
        let logs = x.map(log)
        var prefix = [0.0]
        var prefixSquares = [0.0]
        for value in logs {
            prefix.append(prefix.last! + value)
            prefixSquares.append(prefixSquares.last! + value * value)
        }
        func moments(_ range: Range<Int>) -> (mean: Double, variance: Double) {
            let count = Double(range.count)
            let mean = (prefix[range.upperBound] - prefix[range.lowerBound]) / count
            let squares = prefixSquares[range.upperBound] - prefixSquares[range.lowerBound]
            return (mean, Swift.max(0, squares / count - mean * mean))
        }
        let smallest = Swift.max(2, Int((minimumFraction * Double(n)).rounded(.up)))
        guard n - smallest >= smallest else { return nil }
        var best: (split: Int, within: Double)?
        for split in smallest...(n - smallest) {
            let left = moments(0..<split)
            let right = moments(split..<n)
            let within = Double(split) * left.variance + Double(n - split) * right.variance
            if within < (best?.within ?? .infinity) { best = (split, within) }
        }
        guard let split = best?.split else { return nil }
        let left = moments(0..<split)
        let right = moments(split..<n)
        let spread = (left.variance + right.variance).squareRoot()
        let d =
            spread > 0
            ? 2.0.squareRoot() * abs(right.mean - left.mean) / spread : (right.mean > left.mean ? .infinity : 0)
        guard d > threshold else { return nil }
        return Bimodality(
            fastMode: Statistics.quantile(sorted: Array(x[0..<split]), 0.5),
            slowMode: Statistics.quantile(sorted: Array(x[split..<n]), 0.5),
            slowFraction: Double(n - split) / Double(n),
            ashmanD: d
        )
    }

    /// e.g. "bimodal: modes at 24.1 µs and 1.15 ms (38% slow, Ashman's D 41.2)".
    public var reason: String {
        String(
            format: "bimodal: modes at %.4g ns and %.4g ns (%.0f%% of samples in the slow mode, Ashman's D %.1f)",
            fastMode,
            slowMode,
            slowFraction * 100,
            ashmanD
        )
    }
}
