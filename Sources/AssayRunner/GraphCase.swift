import AssayCore
import AssayGraph
import Foundation

/// A model case (`kind: model`): a graph with its dims set and in one dtype, run end to end on
/// the backend and judged against its float64 reference by `ModelCaseRunner`.
public struct GraphCase: Sendable {
    public var id: CaseID
    /// The suite seed mixed with the case id: the seed of the graph's inputs.
    public var seed: UInt64
    public var graph: Graph
    public var dtype: DType
    public var dims: [String: Int]
    public var threshold: ModelThreshold
    /// Greedy decoding steps to compare (graphs with a token input and a logits output).
    public var greedySteps: Int?
    /// The graph file, for its `weights_file` (nil for a built-in graph).
    public var graphURL: URL?
    public var performance: PerformanceSettings

    /// The dims as the record's params.
    public var params: AttrMap { dims.mapValues { .int($0) } }
}
