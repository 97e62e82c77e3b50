/// The native backend runs graphs in the harness's process: node by node on its own kernels,
/// no tensor serialised or copied across a boundary (the record says `in-process`).
extension NativeCPUBackend: InterpretedGraphExecuting {
    public var graphExecution: GraphExecutionMode { .inProcess }
}
