import AssayCore
import AssayOps

/// A model graph (docs/FORMATS.md, "Graphs"): named inputs and weights, nodes that are catalogue
/// ops on tensors named by string, and named outputs. A parsed graph is validated: every node's
/// op problem is resolved from its inputs' shapes, so every tensor's dtype and shape is known.
public struct Graph: Sendable {
    /// How a weight gets its values.
    public enum Initialisation: Sendable, Equatable {
        /// Seeded normal with mean 0 and this standard deviation (LLaMA-style models use 0.02).
        case normal(std: Double)
        case ones, zeros
        /// Read by name from the graph's `weights_file` (.safetensors).
        case file
    }

    public struct Weight: Sendable {
        public let spec: TensorSpec
        public let initialisation: Initialisation
        /// Where the weight is declared (graph file line).
        public let line: Int?
    }

    public struct Node: Sendable {
        /// Also the name of its output tensor.
        public let name: String
        public let inputs: [String]
        /// The op with its attrs, dtype and every shape, as the catalogue resolved it.
        public let problem: OpProblem
        /// Where the node is written (graph file line), for later errors about it.
        public let line: Int?
    }

    public let id: String
    public let file: String
    /// The default dtype of inputs and weights (the file's `dtype:`, or the suite's).
    public let dtype: DType
    /// Seeds the `normal` weights: each from SplitMix64(seed XOR fnv1a64(weight name)).
    public let seed: UInt64
    /// The named sizes shapes and attrs may use (`dims:`), as set for this graph.
    public let dims: [String: Int]
    public let inputs: [TensorSpec]
    /// How each input's values are generated for a case (GraphInputs).
    public let inputValues: [String: GraphInputValues]
    public let weights: [Weight]
    public let nodes: [Node]
    public let outputs: [String]
    /// The `.safetensors` file the `file` weights come from, as written (relative to the graph file).
    public let weightsFile: String?
    /// Every tensor (input, weight, node output) by name.
    public let tensors: [String: TensorSpec]
}
