import AssayBackend
import AssayCore
import AssayGraph
import AssayOps

/// Greedy decoding of a graph that maps `[seq]` token ids to `[seq, vocab]` logits, on the
/// backend and on the float64 reference, each from the same prompt: the first seq − steps tokens
/// of the case's input. Step i takes the argmax of the logits at position prompt + i − 1 and
/// writes it at prompt + i; positions after it do not reach it through a causal model, so one
/// fixed-shape graph decodes every step. Each side follows its own tokens; decoding stops at
/// the first difference.
enum GreedyDecoding {
    /// The graph's token input and logits output, when it has exactly one of each.
    static func roles(of graph: Graph) -> (tokens: TensorSpec, logits: String, vocabulary: Int)? {
        let tokenInputs = graph.inputs.filter {
            if case .tokens = graph.inputValues[$0.name] { return $0.shape.dims.count == 1 } else { return false }
        }
        guard tokenInputs.count == 1, let tokens = tokenInputs.first,
            case .tokens(let vocabulary) = graph.inputValues[tokens.name]
        else { return nil }
        let seq = tokens.shape.dims[0]
        let logits = graph.outputs.filter { graph.tensors[$0]?.shape.dims == [seq, vocabulary] }
        guard logits.count == 1 else { return nil }
        return (tokens, logits[0], vocabulary)
    }

    static func checkApplies(to graph: Graph, steps: Int, suite: String, line: Int?) throws {
        guard let roles = roles(of: graph) else {
            throw InputError(
                file: suite,
                line: line,
                field: "greedy_steps",
                message:
                    "graph \(graph.id) has no single [seq] token input (values: tokens) with a [seq, vocab] logits output to decode"
            )
        }
        guard steps < roles.tokens.shape.dims[0] else {
            throw InputError(
                file: suite,
                line: line,
                field: "greedy_steps",
                message: "\(steps) steps leave no prompt in a sequence of \(roles.tokens.shape.dims[0]) (set dims seq above it)"
            )
        }
    }

    static func compare(
        _ graph: Graph,
        inputs: [String: Tensor],
        weights: [String: Tensor],
        executor: any GraphExecuting,
        handle: GraphHandle,
        steps: Int,
        catalogue: OpCatalogue
    ) throws -> GreedyComparison {
        guard let roles = roles(of: graph) else { return GreedyComparison(steps: steps, matchingSteps: 0, expectedTokens: [], actualTokens: []) }
        let seq = roles.tokens.shape.dims[0]
        let prompt = seq - steps
        var start = inputs[roles.tokens.name]!.values()
        for position in prompt..<seq { start[position] = 0 }
        var (expectedSeq, actualSeq) = (start, start)
        var expected: [Int] = [], actual: [Int] = []
        func with(_ tokens: [Double]) -> [String: Tensor] {
            var copy = inputs
            copy[roles.tokens.name] = Tensor(dtype: .int32, shape: roles.tokens.shape, values: tokens)
            return copy
        }
        for step in 0..<steps {
            let row = prompt + step - 1
            let reference = try GraphReference.run(graph, inputs: with(expectedSeq), weights: weights, catalogue: catalogue)
            let mine = try executor.runGraph(handle, inputs: with(actualSeq), exposing: [])
            let e = argmax(reference[roles.logits]!.data, row: row, width: roles.vocabulary)
            let a = argmax(mine[roles.logits]!.values(), row: row, width: roles.vocabulary)
            expected.append(e)
            actual.append(a)
            if e != a { break }
            expectedSeq[row + 1] = Double(e)
            actualSeq[row + 1] = Double(a)
        }
        let matching = zip(expected, actual).prefix { $0 == $1 }.count
        return GreedyComparison(steps: steps, matchingSteps: matching, expectedTokens: expected, actualTokens: actual)
    }

    /// The position of the largest value in one row (NaN never wins; the lower position on ties; −1 if all NaN).
    static func argmax(_ values: [Double], row: Int, width: Int) -> Int {
        var best = -1
        var bestValue = -Double.infinity
        for j in 0..<width {
            let v = values[row * width + j]
            if !v.isNaN, best < 0 || v > bestValue {
                best = j
                bestValue = v
            }
        }
        return best
    }
}
