import AssayBench
import AssayCore
import AssayGraph

/// Runs a graph on any backend through its existing op requests, one per node: every
/// intermediate crosses the backend (for a plugin, the protocol), and the record says
/// `node-by-node`. The graph and its weights stay in the harness.
public final class NodeByNodeGraphExecutor: GraphExecuting {
    public let backend: any Backend
    private let interpreter: GraphInterpreter

    public init(backend: any Backend) {
        self.backend = backend
        interpreter = GraphInterpreter { [backend] problem, inputs in try backend.execute(problem, inputs: inputs) }
    }

    public var graphExecution: GraphExecutionMode { .nodeByNode }
    public var offersGraphs: Bool { true }

    public func loadGraph(_ graph: Graph, weights: [String: Tensor]) throws -> GraphHandle {
        try interpreter.load(graph, weights: weights)
    }

    public func runGraph(_ handle: GraphHandle, inputs: [String: Tensor], exposing: [String]) throws -> [String: Tensor] {
        try interpreter.run(handle, inputs: inputs, exposing: exposing)
    }

    public func benchmarkGraph(_ request: GraphBenchmarkRequest) throws -> [MeasuredSample] {
        try interpreter.benchmark(request)
    }

    public func unloadGraph(_ handle: GraphHandle) throws { try interpreter.unload(handle) }
}
