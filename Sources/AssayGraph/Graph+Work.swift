import AssayCore
import AssayOps

/// The work model of one graph run, for its roofline position (docs/FORMATS.md, "Model
/// performance"): the FLOPs are the nodes' own (each op's work model, multiply-add counting 2);
/// the bytes are what a run must move at least — every weight and input read once and every
/// output written once — which is the traffic of an executor that keeps intermediates on chip,
/// and the roofline of LLM inference (a decode step is bound by reading the weights).
/// `nodeBytes` is the traffic when every node reads its inputs and writes its output
/// (node-by-node execution), recorded beside it.
extension Graph {
    public var flops: Double { nodes.reduce(0) { $0 + $1.problem.flops } }

    public var minimumBytes: Double {
        let read = (weights.map(\.spec) + inputs).reduce(0) { $0 + Self.bytes(of: $1) }
        return outputs.compactMap { tensors[$0] }.reduce(read) { $0 + Self.bytes(of: $1) }
    }

    public var nodeBytes: Double { nodes.reduce(0) { $0 + $1.problem.minimumBytes } }

    /// Summed in Double, as `OpProblem.minimumBytes`: a large graph must not trap here.
    private static func bytes(of spec: TensorSpec) -> Double {
        Double(spec.shape.elementCount) * Double(spec.dtype.byteWidth)
    }
}
