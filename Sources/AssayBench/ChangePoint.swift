/// A shift found in a series: observations from `index` on differ in distribution from the
/// ones before it (back to the previous change point).
public struct ChangePoint: Codable, Sendable, Equatable {
    /// 0-based index of the first observation after the shift.
    public var index: Int
    /// Median of the segment before and after the shift, and after / before.
    public var medianBefore: Double
    public var medianAfter: Double
    public var ratio: Double
    /// Permutation p-value of the split when it was found.
    public var pValue: Double

    public init(index: Int, medianBefore: Double, medianAfter: Double, ratio: Double, pValue: Double) {
        self.index = index
        self.medianBefore = medianBefore
        self.medianAfter = medianAfter
        self.ratio = ratio
        self.pValue = pValue
    }
}
