import AssayBench
import AssayCore
import AssayGraph

/// What a graph-capable backend implements (issue 17): a model graph (docs/FORMATS.md, "Graphs")
/// is loaded once with its weights and kept by the backend, run many times by handle, timed, and
/// unloaded. The harness reaches every backend through `GraphExecution.executor(for:)`: one that
/// does not offer graphs (a 1.0 plugin, one without the `graph` feature) is driven node by node
/// over its op requests by `NodeByNodeGraphExecutor`.
public protocol GraphExecuting: AnyObject {
    /// How this executor runs a graph; the run record says so for each model case.
    var graphExecution: GraphExecutionMode { get }
    /// False when this backend instance cannot run graphs after all (e.g. a plugin whose hello
    /// did not name the `graph` feature): the harness then drives it node by node.
    var offersGraphs: Bool { get }
    /// Loads the graph and its weights (every weight of `graph.weights`, by name) and answers
    /// with the handle later calls name it by.
    func loadGraph(_ graph: Graph, weights: [String: Tensor]) throws -> GraphHandle
    /// Runs the graph on `inputs` (every graph input, by name) and returns its outputs and
    /// each tensor named in `exposing` (node outputs, for the first-divergent-node search), by name.
    func runGraph(_ handle: GraphHandle, inputs: [String: Tensor], exposing: [String]) throws -> [String: Tensor]
    /// Times `samples` samples of `k` back-to-back runs each, as `Backend.benchmark` times ops.
    func benchmarkGraph(_ request: GraphBenchmarkRequest) throws -> [MeasuredSample]
    /// Releases the graph's weights; the handle is invalid afterwards.
    func unloadGraph(_ handle: GraphHandle) throws
}

/// How a graph ran, as the record names it.
public enum GraphExecutionMode: String, Codable, Sendable, Equatable {
    /// The backend's own graph executor (a plugin with the ABP 1.1 `graph` feature).
    case graph
    /// The native backend in the harness's process: node by node, tensors never leave it.
    case inProcess = "in-process"
    /// The harness sends every node as an op request; every intermediate crosses the backend.
    case nodeByNode = "node-by-node"
}

/// A loaded graph, named by the backend that holds it.
public struct GraphHandle: Hashable, Sendable, Codable {
    public let id: String
    public init(id: String) { self.id = id }
}

/// A timing request for a loaded graph. The inputs are sent once and kept by the backend for the
/// whole request, so a sample times only the k runs (token ids must be valid, so the harness
/// generates them rather than the device).
public struct GraphBenchmarkRequest: Sendable {
    public var handle: GraphHandle
    public var inputs: [String: Tensor]
    public var mode: PerformanceMode
    public var k: Int
    public var samples: Int

    public init(handle: GraphHandle, inputs: [String: Tensor], mode: PerformanceMode, k: Int, samples: Int) {
        self.handle = handle
        self.inputs = inputs
        self.mode = mode
        self.k = k
        self.samples = samples
    }
}

/// The graph executor the harness uses for a backend.
public enum GraphExecution {
    /// The backend itself when it offers graphs, otherwise node by node over its op requests.
    public static func executor(for backend: any Backend) -> any GraphExecuting {
        if let executing = backend as? any GraphExecuting, executing.offersGraphs { return executing }
        return NodeByNodeGraphExecutor(backend: backend)
    }
}
