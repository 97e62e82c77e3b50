import Foundation

/// Two-sided Mann–Whitney U (Wilcoxon rank-sum) test: does one sample tend to take larger
/// values than the other? Distribution-free, so it suits skewed timing samples.
///
/// Matches `scipy.stats.mannwhitneyu(a, b, alternative="two-sided")`:
/// - `method` exact when both samples have at most `exactLimit` values and there are no
///   ties: p = min(1, 2·P(U ≥ max(U₁, U₂))) from the exact null distribution
///   (scipy's `method="exact"`);
/// - otherwise the normal approximation with tie correction and continuity correction
///   (scipy's `method="asymptotic", use_continuity=True`):
///   σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))), p = 2·Φ(−(|U₁ − n₁n₂/2| − ½)/σ).
public enum MannWhitneyU {
    /// Largest sample size for the exact distribution (C(40, 20) arrangements at most).
    public static let exactLimit = 20

    public static func test(_ a: [Double], _ b: [Double]) -> MannWhitneyResult {
        let n1 = a.count
        let n2 = b.count
        guard n1 > 0, n2 > 0 else { return MannWhitneyResult(u: 0, z: 0, pValue: 1, method: .normal) }
        let (ranks, tieGroups) = averageRanks(a + b)
        let rankSumA = ranks[0..<n1].reduce(0, +)
        let u1 = rankSumA - Double(n1 * (n1 + 1)) / 2
        let mean = Double(n1 * n2) / 2
        let n = Double(n1 + n2)
        let tieTerm = tieGroups.reduce(0.0) { $0 + Double($1) * Double($1) * Double($1) - Double($1) }
        let variance = Double(n1 * n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        let deviation = Swift.max(abs(u1 - mean) - 0.5, 0)
        let z = variance > 0 ? (u1 < mean ? -deviation : deviation) / variance.squareRoot() : 0

        if n1 <= exactLimit, n2 <= exactLimit, tieGroups.isEmpty {
            let uMax = Int(Swift.max(u1, Double(n1 * n2) - u1).rounded())
            return MannWhitneyResult(
                u: u1,
                z: z,
                pValue: Swift.min(1, 2 * exactUpperTail(uMax, n1, n2)),
                method: .exact
            )
        }
        let p = variance > 0 ? Swift.min(1, erfc(abs(z) / 2.0.squareRoot())) : 1
        return MannWhitneyResult(u: u1, z: z, pValue: p, method: .normal)
    }

    /// Ranks 1…n of `values` with ties given their average rank, and the sizes of the tie groups (size ≥ 2).
    static func averageRanks(_ values: [Double]) -> (ranks: [Double], tieGroups: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var groups: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 1) / 2  // mean of the 1-based ranks start+1 … end
            for position in start..<end { ranks[order[position]] = rank }
            if end - start > 1 { groups.append(end - start) }
            start = end
        }
        return (ranks, groups)
    }

    /// P(U ≥ u) under the null for sample sizes n1, n2 without ties.
    ///
    /// Counts the n1-subsets of ranks {1…n1+n2} by rank sum (a 0/1 knapsack); U = sum − n1(n1+1)/2.
    /// Counts stay below C(40, 20) ≈ 1.4e11, exact in a Double.
    static func exactUpperTail(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        let total = n1 + n2
        let maxSum = total * (total + 1) / 2
        // ways[c][s]: subsets of the ranks seen so far with c elements summing to s.
        var ways = [[Double]](repeating: [Double](repeating: 0, count: maxSum + 1), count: n1 + 1)
        ways[0][0] = 1
        for rank in 1...total {
            for count in stride(from: Swift.min(rank, n1), through: 1, by: -1) {
                for sum in stride(from: maxSum, through: rank, by: -1) where ways[count - 1][sum - rank] > 0 {
                    ways[count][sum] += ways[count - 1][sum - rank]
                }
            }
        }
        let offset = n1 * (n1 + 1) / 2
        let counts = ways[n1][offset...]
        let all = counts.reduce(0, +)
        let tail = counts.dropFirst(Swift.max(u, 0)).reduce(0, +)
        return tail / all
    }
}
