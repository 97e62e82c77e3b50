import AssayCore
import Foundation

/// E-Divisive means (Matteson & James, "A Nonparametric Approach for Multiple Change Point
/// Analysis of Multivariate Data", JASA 2014), the detector MongoDB runs over its performance
/// histories (Daly et al., ICPE 2020). Bisection: within every segment found so far, the split
/// τ maximizing the energy statistic
///   Q(τ) = m·n/(m+n) · (2/(m·n)·Σ|x−y|^α − Σ_{i<k}|x_i−x_k|^α / C(m,2) − Σ_{j<k}|y_j−y_k|^α / C(n,2))
/// (x the segment before τ, y from τ to the segment's end) is the candidate; the best
/// candidate over all segments is kept when a permutation test (observations shuffled within
/// their segments, `permutations` times, seeded) gives p ≤ `significance`; stop otherwise.
/// Deterministic for a given seed.
public struct EDivisive: Sendable {
    public var significance: Double
    public var permutations: Int
    /// Smallest segment on either side of a split (≥ 2: a within-segment mean needs a pair).
    public var minimumSize: Int
    /// The exponent α in (0, 2); 1 is the published default.
    public var alpha: Double
    public var seed: UInt64

    public init(
        significance: Double = 0.05,
        permutations: Int = 199,
        minimumSize: Int = 3,
        alpha: Double = 1,
        seed: UInt64 = 0xED1F
    ) {
        self.significance = significance
        self.permutations = permutations
        self.minimumSize = max(2, minimumSize)
        self.alpha = alpha
        self.seed = seed
    }

    /// The change points of `series`, in index order.
    public func changePoints(_ series: [Double]) -> [ChangePoint] {
        var boundaries = [0, series.count]
        var found: [ChangePoint] = []
        var generator = SplitMix64(seed: seed)
        while true {
            guard let best = bestSplit(series, boundaries: boundaries) else { break }
            var exceed = 0
            var shuffled = series
            for _ in 0..<permutations {
                for (start, end) in zip(boundaries, boundaries.dropFirst()) {
                    shuffle(&shuffled, start..<end, &generator)
                }
                if let permuted = bestSplit(shuffled, boundaries: boundaries), permuted.statistic >= best.statistic {
                    exceed += 1
                }
            }
            let pValue = Double(exceed + 1) / Double(permutations + 1)
            guard pValue <= significance else { break }
            let segmentStart = boundaries.last { $0 < best.index } ?? 0
            let segmentEnd = boundaries.first { $0 > best.index } ?? series.count
            let before = Statistics.quantile(sorted: series[segmentStart..<best.index].sorted(), 0.5)
            let after = Statistics.quantile(sorted: series[best.index..<segmentEnd].sorted(), 0.5)
            found.append(
                ChangePoint(
                    index: best.index,
                    medianBefore: before,
                    medianAfter: after,
                    ratio: after / before,
                    pValue: pValue
                )
            )
            boundaries = (boundaries + [best.index]).sorted()
        }
        return found.sorted { $0.index < $1.index }
    }

    /// The split with the largest Q over every segment, or nil when no segment can be split.
    func bestSplit(_ series: [Double], boundaries: [Int]) -> (index: Int, statistic: Double)? {
        var best: (index: Int, statistic: Double)?
        for (start, end) in zip(boundaries, boundaries.dropFirst()) {
            if let candidate = bestSplit(Array(series[start..<end])),
                candidate.statistic > (best?.statistic ?? -.infinity)
            {
                best = (start + candidate.index, candidate.statistic)
            }
        }
        return best
    }

    /// The best τ within one segment: O(L²) with running within-side sums.
    func bestSplit(_ segment: [Double]) -> (index: Int, statistic: Double)? {
        let length = segment.count
        guard length >= 2 * minimumSize else { return nil }
        let distance = segment.map { x in segment.map { pow(abs(x - $0), alpha) } }
        var total = 0.0
        for i in 0..<length { for j in (i + 1)..<length { total += distance[i][j] } }
        // Left = [0, τ), right = [τ, L). Start at τ = 0: left empty, right everything.
        var withinLeft = 0.0
        var withinRight = total
        var best: (index: Int, statistic: Double)?
        for tau in 1..<length {
            let moved = tau - 1
            for i in 0..<moved { withinLeft += distance[i][moved] }
            for j in (moved + 1)..<length { withinRight -= distance[moved][j] }
            let m = Double(tau)
            let n = Double(length - tau)
            guard tau >= minimumSize, length - tau >= minimumSize else { continue }
            let between = total - withinLeft - withinRight
            let energy = 2 * between / (m * n) - withinLeft / (m * (m - 1) / 2) - withinRight / (n * (n - 1) / 2)
            let statistic = m * n / (m + n) * energy
            if statistic > (best?.statistic ?? -.infinity) { best = (tau, statistic) }
        }
        return best
    }

    private func shuffle(_ values: inout [Double], _ range: Range<Int>, _ generator: inout SplitMix64) {
        guard range.count > 1 else { return }
        for i in stride(from: range.upperBound - 1, to: range.lowerBound, by: -1) {
            values.swapAt(i, generator.nextInt(in: range.lowerBound...i))
        }
    }
}
