import AssayBench
import AssayCore

/// One performance case across a history of runs: its run medians, oldest first, and the
/// change points found in them.
public struct CaseHistory: Codable, Sendable, Equatable {
    public var id: CaseID
    /// The run ids the case was measured in, in the order of `medians`.
    public var runs: [String]
    /// Per run: the case's median (ns per call), the geometric mean of its round medians
    /// when it has rounds (the same per-run value the gate's hierarchical estimate uses).
    public var medians: [Double]
    public var changePoints: [ChangePoint]

    public init(id: CaseID, runs: [String], medians: [Double], changePoints: [ChangePoint]) {
        self.id = id
        self.runs = runs
        self.medians = medians
        self.changePoints = changePoints
    }
}
