/// Holm's step-down correction for testing many cases at once (one p-value per case of a
/// suite): controls the family-wise error rate without assuming independence, and is
/// uniformly more powerful than Bonferroni.
public enum Holm {
    /// Adjusted p-values in the input's order: with p sorted ascending as p(1) ≤ … ≤ p(m),
    /// adj(i) = max over j ≤ i of min(1, (m − j + 1)·p(j)) — monotone in p, capped at 1.
    /// Reject case i at level α when adj(i) ≤ α. A NaN p-value counts as 1 (no evidence).
    public static func adjust(_ p: [Double]) -> [Double] {
        let values = p.map { $0.isNaN ? 1 : Swift.min(Swift.max($0, 0), 1) }
        let order = values.indices.sorted { values[$0] < values[$1] }
        var adjusted = [Double](repeating: 1, count: values.count)
        var running = 0.0
        for (position, index) in order.enumerated() {
            running = Swift.max(running, Swift.min(1, Double(values.count - position) * values[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
