import AssayCore
import AssayOps

/// The inputs and outputs greedy decoding needs: a `[seq]` token input (values: tokens) and a
/// `[seq, vocab]` logits output, each the only one of its kind.
public struct GreedyDecodingRoles: Sendable {
    public var tokens: TensorSpec
    public var logits: String
    public var vocabulary: Int
}

extension Graph {
    /// The graph's token input and logits output, when it has exactly one of each.
    public var greedyDecodingRoles: GreedyDecodingRoles? {
        let tokenInputs = inputs.filter {
            if case .tokens = inputValues[$0.name] { return $0.shape.dims.count == 1 } else { return false }
        }
        guard tokenInputs.count == 1, let tokens = tokenInputs.first,
            case .tokens(let vocabulary) = inputValues[tokens.name]
        else { return nil }
        let seq = tokens.shape.dims[0]
        let logits = outputs.filter { self.tensors[$0]?.shape.dims == [seq, vocabulary] }
        guard logits.count == 1 else { return nil }
        return GreedyDecodingRoles(tokens: tokens, logits: logits[0], vocabulary: vocabulary)
    }

    /// Refuses a suite's `greedy_steps` on a graph that cannot be decoded, or that leaves no prompt.
    public func checkGreedyDecoding(steps: Int, suite: String, line: Int?) throws {
        guard let roles = greedyDecodingRoles else {
            throw InputError(
                file: suite,
                line: line,
                field: "greedy_steps",
                message:
                    "graph \(id) has no single [seq] token input (values: tokens) with a [seq, vocab] logits output to decode"
            )
        }
        guard steps < roles.tokens.shape.dims[0] else {
            throw InputError(
                file: suite,
                line: line,
                field: "greedy_steps",
                message:
                    "\(steps) steps leave no prompt in a sequence of \(roles.tokens.shape.dims[0]) (set dims seq above it)"
            )
        }
    }
}
