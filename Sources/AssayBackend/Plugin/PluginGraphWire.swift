import AssayCore
import AssayGraph
import AssayOps

/// The `graph` object of a `load_graph` request (docs/PROTOCOL.md, "Feature graph"): the graph as
/// the harness resolved it. Declarations keep their order (the weights' payload follows it), and
/// each node carries its case dtype and only its op's attrs, as `execute` does, so the plugin needs
/// neither the YAML file nor its default rules.
struct PluginGraphWire: Encodable, Equatable {
    struct Declaration: Encodable, Equatable {
        var name: String
        var dtype: DType
        var shape: [Int]
    }

    struct Node: Encodable, Equatable {
        var name: String
        var op: String
        var dtype: DType
        var inputs: [String]
        var attrs: AttrMap
    }

    var id: String
    var inputs: [Declaration]
    var weights: [Declaration]
    var nodes: [Node]
    var outputs: [String]

    init(_ graph: Graph) {
        let declare = { (spec: TensorSpec) in Declaration(name: spec.name, dtype: spec.dtype, shape: spec.shape.dims) }
        id = graph.id
        inputs = graph.inputs.map(declare)
        weights = graph.weights.map { declare($0.spec) }
        nodes = graph.nodes.map {
            Node(name: $0.name, op: $0.problem.op, dtype: $0.problem.dtype, inputs: $0.inputs, attrs: $0.problem.attrs)
        }
        outputs = graph.outputs
    }
}
