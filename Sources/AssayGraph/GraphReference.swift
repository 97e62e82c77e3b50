import AssayCore
import AssayOps

/// A graph run node by node on the catalogue's float64 references: the expected values of a whole
/// model. Intermediates stay in float64 (never rounded to the graph's dtype), so the result is the
/// model's exact answer on the given inputs and weights.
public enum GraphReference {
    /// Every tensor of the graph (inputs, weights, each node's output) by name.
    public static func run(
        _ graph: Graph,
        inputs: [String: Tensor],
        weights: [String: Tensor],
        catalogue: OpCatalogue = .standard
    ) throws -> [String: RefTensor] {
        try run(graph, inputs: inputs, weights: try weightValues(graph, weights), catalogue: catalogue)
    }

    /// The weights as float64 tensors, once, for callers that run the graph many times.
    public static func weightValues(_ graph: Graph, _ weights: [String: Tensor]) throws -> [String: RefTensor] {
        var values: [String: RefTensor] = [:]
        for weight in graph.weights {
            guard let tensor = weights[weight.spec.name] else {
                throw InputError(
                    file: graph.file,
                    line: weight.line,
                    field: "weights.\(weight.spec.name)",
                    message: "has no value"
                )
            }
            values[weight.spec.name] = RefTensor(tensor)
        }
        return values
    }

    /// The same with the weights already in float64 (`weightValues`).
    public static func run(
        _ graph: Graph,
        inputs: [String: Tensor],
        weights: [String: RefTensor],
        catalogue: OpCatalogue = .standard
    ) throws -> [String: RefTensor] {
        var values = weights
        for spec in graph.inputs {
            guard let tensor = inputs[spec.name], tensor.dtype == spec.dtype, tensor.shape == spec.shape else {
                throw InputError(
                    file: graph.file,
                    field: "inputs.\(spec.name)",
                    message: "needs a \(spec.dtype.rawValue) \(spec.shape.dims) tensor"
                )
            }
            values[spec.name] = RefTensor(tensor)
        }
        for node in graph.nodes {
            let op = try catalogue.op(named: node.problem.op)
            values[node.name] = op.reference(node.problem, inputs: node.inputs.map { values[$0]! })
        }
        return values
    }
}
