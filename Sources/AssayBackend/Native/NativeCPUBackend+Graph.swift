import AssayBench
import AssayCore
import AssayGraph

/// The native backend runs graphs in the harness's process: node by node on its own kernels,
/// no tensor serialised or copied across a boundary (the record says `in-process`).
extension NativeCPUBackend: GraphExecuting {
    public var graphExecution: GraphExecutionMode { .inProcess }
    public var offersGraphs: Bool { true }

    public func loadGraph(_ graph: Graph, weights: [String: Tensor]) throws -> GraphHandle {
        try graphInterpreter.load(graph, weights: weights)
    }

    public func runGraph(_ handle: GraphHandle, inputs: [String: Tensor], exposing: [String]) throws -> [String: Tensor] {
        try graphInterpreter.run(handle, inputs: inputs, exposing: exposing)
    }

    public func benchmarkGraph(_ request: GraphBenchmarkRequest) throws -> [MeasuredSample] {
        try graphInterpreter.benchmark(request)
    }

    public func unloadGraph(_ handle: GraphHandle) throws { try graphInterpreter.unload(handle) }
}
