import AssayBench
import AssayCore
import AssayGraph

/// Feature `graph` on a plugin (docs/PROTOCOL.md, "Feature graph"): the graph and its weights
/// cross the protocol once, runs send only the inputs and get back the outputs and the nodes
/// asked for. A plugin whose hello did not agree `graph` (a 1.0 plugin) does not offer graphs,
/// and `GraphExecution.executor(for:)` drives it node by node instead.
///
/// The harness keeps each graph and its weights: a restarted plugin has lost its graphs, so a
/// handle loaded into an earlier process is loaded again before its next use.
extension PluginBackend: GraphExecuting {
    public var graphExecution: GraphExecutionMode { .graph }

    /// Whether the plugin agreed `graph` in its hello (starting it if need be).
    public var offersGraphs: Bool { (try? describe())?.features?.contains("graph") == true }

    public func loadGraph(_ graph: Graph, weights: [String: Tensor]) throws -> GraphHandle {
        let ordered = try graph.weights.map { weight -> Tensor in
            guard let tensor = weights[weight.spec.name] else {
                throw BackendError.invalid("the graph's weight '\(weight.spec.name)' is missing")
            }
            return tensor
        }
        let handle = graphs.add(graph, weights: ordered)
        do {
            _ = try pluginHandle(handle)
        } catch {
            graphs.remove(handle)
            throw error
        }
        return handle
    }

    public func runGraph(_ handle: GraphHandle, inputs: [String: Tensor], exposing: [String]) throws -> [String: Tensor]
    {
        let graph = try graphs.entry(handle).graph
        let ordered = try Self.ordered(inputs, of: graph)
        // Nodes come from the plugin; inputs and weights the harness has already.
        var known = inputs.merging(zip(graph.weights.map(\.spec.name), try graphs.entry(handle).weights)) { a, _ in a }
        var asked: [String] = []
        for name in exposing where !graph.outputs.contains(name) && !asked.contains(name) {
            if graph.nodes.contains(where: { $0.name == name }) {
                asked.append(name)
            } else if known[name] == nil {
                throw BackendError.invalid("graph \(graph.id) has no tensor '\(name)' to expose")
            }
        }
        let names = graph.outputs + asked
        let (descriptors, bytes) = Self.describe(ordered)
        let message = HarnessMessage.RunGraph(
            handle: try pluginHandle(handle),
            expose: asked,
            inputs: descriptors,
            payloadBytes: bytes
        )
        let tensors = try exchange(
            .runGraph(id: makeID(), message),
            payload: ordered,
            what: "run_graph \(graph.id)",
            budgetKey: "graph \(graph.id)",
            maxReplyBytes: PluginBackend.largestResult(for: names.compactMap { graph.tensors[$0]?.shape })
        ).tensors
        guard tensors.count == names.count else {
            throw BackendError.internal("run_graph \(graph.id): \(tensors.count) tensors for the \(names.count) asked")
        }
        for (name, tensor) in zip(names, tensors) {
            guard let spec = graph.tensors[name], spec.dtype == tensor.dtype, spec.shape == tensor.shape else {
                throw BackendError.internal(
                    "run_graph \(graph.id): '\(name)' came back \(tensor.dtype.rawValue) \(tensor.shape.dims), expected \(graph.tensors[name].map { "\($0.dtype.rawValue) \($0.shape.dims)" } ?? "nothing")"
                )
            }
            known[name] = tensor
        }
        var result: [String: Tensor] = [:]
        for name in graph.outputs + exposing { result[name] = known[name] }
        return result
    }

    public func benchmarkGraph(_ request: GraphBenchmarkRequest) throws -> [MeasuredSample] {
        let graph = try graphs.entry(request.handle).graph
        let ordered = try Self.ordered(request.inputs, of: graph)
        let (descriptors, bytes) = Self.describe(ordered)
        let message = HarnessMessage.BenchmarkGraph(
            handle: try pluginHandle(request.handle),
            mode: request.mode,
            k: request.k,
            samples: request.samples,
            inputs: descriptors,
            payloadBytes: bytes
        )
        let reply = try exchange(
            .benchmarkGraph(id: makeID(), message),
            payload: ordered,
            what: "benchmark_graph \(graph.id)",
            budgetKey: "graph \(graph.id)"
        ).reply
        guard case .samples(_, let samples) = reply else { throw unexpected(reply, what: "benchmark_graph") }
        return samples
    }

    public func unloadGraph(_ handle: GraphHandle) throws {
        let entry = try graphs.entry(handle)
        graphs.remove(handle)
        // A plugin restarted since the load holds nothing to unload.
        guard let loaded = entry.loaded, process != nil, loaded.start == startCount else { return }
        let reply = try exchange(.unload(id: makeID(), handle: loaded.handle), what: "unload \(entry.graph.id)").reply
        guard case .unloaded = reply else { throw unexpected(reply, what: "unload") }
    }

    /// The plugin's handle for `handle` in the running process, loading the graph (again, after a
    /// restart) when that process does not hold it.
    func pluginHandle(_ handle: GraphHandle) throws -> Int {
        let entry = try graphs.entry(handle)
        if let loaded = entry.loaded, process != nil, loaded.start == startCount { return loaded.handle }
        let (descriptors, bytes) = Self.describe(entry.weights)
        let message = HarnessMessage.LoadGraph(
            graph: PluginGraphWire(entry.graph),
            weights: descriptors,
            payloadBytes: bytes
        )
        let reply = try exchange(
            .loadGraph(id: makeID(), message),
            payload: entry.weights,
            what: "load_graph \(entry.graph.id)",
            budgetKey: "graph \(entry.graph.id)"
        ).reply
        guard case .graph(_, let pluginHandle) = reply else { throw unexpected(reply, what: "load_graph") }
        graphs.loaded(handle, as: pluginHandle, start: startCount)
        return pluginHandle
    }

    /// The tensors' descriptors and their total bytes (the pipe payload: graph tensors skip the region).
    static func describe(_ tensors: [Tensor]) -> ([WireTensor], Int) {
        (tensors.map { WireTensor(dtype: $0.dtype, shape: $0.shape) }, tensors.reduce(0) { $0 + $1.bytes.count })
    }

    /// The graph's inputs in declaration order; a missing one is the caller's error.
    static func ordered(_ inputs: [String: Tensor], of graph: Graph) throws -> [Tensor] {
        try graph.inputs.map { spec in
            guard let tensor = inputs[spec.name] else {
                throw BackendError.invalid("the graph's input '\(spec.name)' is missing")
            }
            return tensor
        }
    }
}
