/// The outcome of a two-sided Mann–Whitney U test.
public struct MannWhitneyResult: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable {
        /// The exact null distribution of U (small samples without ties).
        case exact
        /// Normal approximation with tie and continuity corrections.
        case normal
    }

    /// U of the first sample: pairs (x from a, y from b) with x > y, ties counting ½.
    public var u: Double
    /// Standardised U with continuity correction, positive when the first sample tends to be larger;
    /// 0 when the samples cannot be told apart (|U − mean| ≤ ½, all values tied, or an empty sample).
    public var z: Double
    /// Two-sided p-value (from `method`), in [0, 1].
    public var pValue: Double
    public var method: Method

    public init(u: Double, z: Double, pValue: Double, method: Method) {
        self.u = u
        self.z = z
        self.pValue = pValue
        self.method = method
    }
}
