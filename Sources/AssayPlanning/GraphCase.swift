import AssayCore
import AssayGraph
import Foundation

/// A model case (`kind: model`): a graph with its dims set and in one dtype, run end to end on
/// the backend and judged against its float64 reference by `ModelCaseRunner`, or, with a
/// `phase` (`measure: performance`), timed by `ModelPerformanceRunner` like an op performance case.
public struct GraphCase: Sendable {
    public var id: CaseID
    /// The suite seed mixed with the case id: the seed of the graph's inputs.
    public var seed: UInt64
    public var graph: Graph
    public var dtype: DType
    public var dims: [String: Int]
    /// The verdict's thresholds (correctness cases; nil for performance cases).
    public var threshold: ModelThreshold?
    /// What a performance case times (nil for correctness cases).
    public var phase: ModelPhase?
    /// Greedy decoding steps to compare (graphs with a token input and a logits output).
    public var greedySteps: Int?
    /// The graph file, for its `weights_file` (nil for a built-in graph).
    public var graphURL: URL?
    /// SHA-256 of the graph file's text as planned: the gate's `--confirm` re-measures a model
    /// case only from the same text (run.json `modelPerformance.graphSHA256`).
    public var graphSHA256: String
    public var performance: PerformanceSettings

    /// Tokens one run processes: the `batch` dim (1 without one) × `seq` for prefill, × 1 for a decode step.
    public var tokens: Int {
        (dims["batch"] ?? 1) * (phase == .prefill ? dims["seq"] ?? 1 : 1)
    }

    /// The dims as the record's params.
    public var params: AttrMap { dims.mapValues { .int($0) } }
}
