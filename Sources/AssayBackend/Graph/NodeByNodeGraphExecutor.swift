import AssayCore

/// Runs a graph on any backend through its existing op requests, one per node: every
/// intermediate crosses the backend (for a plugin, the protocol), and the record says
/// `node-by-node`. The graph and its weights stay in the harness.
public final class NodeByNodeGraphExecutor: InterpretedGraphExecuting {
    public let backend: any Backend
    public let graphInterpreter: GraphInterpreter

    public init(backend: any Backend) {
        self.backend = backend
        graphInterpreter = GraphInterpreter { [backend] problem, inputs in try backend.execute(problem, inputs: inputs)
        }
    }

    public var graphExecution: GraphExecutionMode { .nodeByNode }
}
