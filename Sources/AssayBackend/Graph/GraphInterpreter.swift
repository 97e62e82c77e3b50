import AssayBench
import AssayCore
import AssayGraph
import AssayOps

/// Loaded graphs run op by op through one `execute` call per node: what the node-by-node
/// executor (any backend, over its op requests) and the native in-process executor share.
public final class GraphInterpreter {
    struct Loaded {
        let graph: Graph
        let weights: [String: Tensor]
    }

    private let execute: (OpProblem, [Tensor]) throws -> [Tensor]
    private var loaded: [GraphHandle: Loaded] = [:]
    private var nextID = 0

    /// `execute` runs one op; it is the backend's op request.
    public init(execute: @escaping (OpProblem, [Tensor]) throws -> [Tensor]) {
        self.execute = execute
    }

    public func load(_ graph: Graph, weights: [String: Tensor]) throws -> GraphHandle {
        for weight in graph.weights {
            try Self.check(weights[weight.spec.name], against: weight.spec, what: "weight")
        }
        nextID += 1
        let handle = GraphHandle(id: "\(graph.id)#\(nextID)")
        loaded[handle] = Loaded(graph: graph, weights: weights)
        return handle
    }

    public func run(_ handle: GraphHandle, inputs: [String: Tensor], exposing: [String]) throws -> [String: Tensor] {
        let entry = try graph(handle)
        let graph = entry.graph
        for spec in graph.inputs { try Self.check(inputs[spec.name], against: spec, what: "input") }
        for name in exposing where graph.tensors[name] == nil {
            throw BackendError.invalid("graph \(graph.id) has no tensor '\(name)' to expose")
        }
        var values = entry.weights.merging(inputs) { weight, _ in weight }
        for node in graph.nodes {
            let outputs = try execute(node.problem, node.inputs.map { values[$0]! })
            guard let output = outputs.first, outputs.count == 1, output.dtype == node.problem.output.dtype,
                output.shape == node.problem.output.shape
            else {
                throw BackendError.internal(
                    "node \(node.name) (\(node.problem.op)) answered \(outputs.map { "\($0.dtype.rawValue) \($0.shape.dims)" }), expected \(node.problem.output.dtype.rawValue) \(node.problem.output.shape.dims)"
                )
            }
            values[node.name] = output
        }
        var result: [String: Tensor] = [:]
        for name in graph.outputs + exposing { result[name] = values[name] }
        return result
    }

    /// k back-to-back runs per sample on the host's monotonic clock.
    public func benchmark(_ request: GraphBenchmarkRequest) throws -> [MeasuredSample] {
        _ = try graph(request.handle)
        let clock = MonotonicClock()
        var samples: [MeasuredSample] = []
        for _ in 0..<request.samples {
            let start = clock.nanoseconds()
            for _ in 0..<request.k { _ = try run(request.handle, inputs: request.inputs, exposing: []) }
            samples.append(MeasuredSample(elapsedNanoseconds: Double(clock.nanoseconds() - start)))
        }
        return samples
    }

    public func unload(_ handle: GraphHandle) throws {
        guard loaded.removeValue(forKey: handle) != nil else {
            throw BackendError.invalid("no loaded graph \(handle.id)")
        }
    }

    private func graph(_ handle: GraphHandle) throws -> Loaded {
        guard let entry = loaded[handle] else { throw BackendError.invalid("no loaded graph \(handle.id)") }
        return entry
    }

    private static func check(_ tensor: Tensor?, against spec: TensorSpec, what: String) throws {
        guard let tensor else { throw BackendError.invalid("the graph's \(what) '\(spec.name)' is missing") }
        guard tensor.dtype == spec.dtype, tensor.shape == spec.shape else {
            throw BackendError.invalid(
                "\(what) '\(spec.name)' is \(tensor.dtype.rawValue) \(tensor.shape.dims), the graph declares \(spec.dtype.rawValue) \(spec.shape.dims)"
            )
        }
    }
}
