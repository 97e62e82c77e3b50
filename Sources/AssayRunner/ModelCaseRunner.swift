import AssayBackend
import AssayCore
import AssayGraph
import AssayOps
import AssayPlanning
import Foundation

/// Runs a model case: the graph on the backend (its own graph executor, in process, or node by
/// node over op requests) and on the float64 reference, the outputs compared under the suite's
/// thresholds for the dtype, greedy decoding compared step by step, and on a failure the first
/// divergent node found from a second run that exposes every intermediate.
struct ModelCaseRunner {
    let backend: any Backend
    let identity: BackendIdentity
    var catalogue: OpCatalogue = .standard

    func run(_ work: GraphCase, into result: inout CaseResult) throws {
        let graph = work.graph
        guard let threshold = work.threshold else {
            throw BackendError.internal("model case \(work.id) has no thresholds to judge by")
        }
        let executor = GraphExecution.executor(for: backend)
        if let reason = Self.unsupported(graph, by: executor, identity: identity) {
            result.outcome = .unsupported
            result.message = reason
            return
        }
        let weights = try Self.weights(of: work)
        let inputs = GraphInputs.values(of: graph, seed: work.seed)
        let referenceWeights = try GraphReference.weightValues(graph, weights)
        let reference = try GraphReference.run(graph, inputs: inputs, weights: referenceWeights, catalogue: catalogue)
        let handle = try executor.loadGraph(graph, weights: weights)
        defer { try? executor.unloadGraph(handle) }
        let outputs = try executor.runGraph(handle, inputs: inputs, exposing: [])
        let logits = graph.greedyDecodingRoles?.logits
        var evidence = ModelEvidence(
            graph: graph.id,
            dims: graph.dims,
            execution: executor.graphExecution.rawValue,
            threshold: threshold,
            outputs: try graph.outputs.map { name in
                guard let actual = outputs[name], let spec = graph.tensors[name], actual.dtype == spec.dtype,
                    actual.shape == spec.shape
                else {
                    throw BackendError.internal(
                        "graph output '\(name)' is missing or not \(graph.tensors[name].map { "\($0.dtype.rawValue) \($0.shape.dims)" } ?? "")"
                    )
                }
                return ModelComparison.compare(
                    name: name,
                    expected: reference[name]!,
                    actual: actual,
                    logits: name == logits
                )
            }
        )
        var misses = evidence.outputs.compactMap { ModelComparison.miss($0, threshold) }
        if let steps = work.greedySteps {
            let greedy = try GreedyDecoding.compare(
                graph,
                inputs: inputs,
                weights: referenceWeights,
                executor: executor,
                handle: handle,
                steps: steps,
                catalogue: catalogue
            )
            evidence.greedy = greedy
            if greedy.matchingSteps < greedy.steps {
                misses.append(
                    "greedy decoding differs at step \(greedy.matchingSteps + 1) of \(greedy.steps) (reference token \(greedy.expectedTokens.last!), backend \(greedy.actualTokens.last!))"
                )
            }
        }
        if !misses.isEmpty {
            result.outcome = .fail
            let exposed = try executor.runGraph(handle, inputs: inputs, exposing: graph.nodes.map(\.name))
            evidence.firstDivergentNode = try FirstDivergentNode.find(
                in: graph,
                inputs: inputs,
                weights: weights,
                actual: exposed,
                catalogue: catalogue
            )
            let located = evidence.firstDivergentNode.map {
                "; first divergent node: \($0.name) (\($0.op)\($0.line.map { ", line \($0)" } ?? "")): \($0.message)"
            }
            result.message =
                misses.joined(separator: "; ")
                + (located
                    ?? "; no node is outside its op's error model on its actual inputs (error accumulated across nodes)")
        }
        result.model = evidence
    }

    /// Why the backend cannot run the graph: driven op by op (node by node or in process), it
    /// must declare every node's op in its dtype; nil when it can.
    static func unsupported(_ graph: Graph, by executor: any GraphExecuting, identity: BackendIdentity) -> String? {
        guard executor.graphExecution != .graph,
            let node = graph.nodes.first(where: { !identity.supports(op: $0.problem.op, dtype: $0.problem.dtype) })
        else { return nil }
        return
            "backend \(identity.name) does not declare \(node.problem.op) in \(node.problem.dtype.rawValue) (node \(node.name))"
    }

    /// The case's weights: seeded, or read from the graph's `weights_file` beside the graph file.
    static func weights(of work: GraphCase) throws -> [String: Tensor] {
        let file = try work.graph.weightsFile.map { name in
            try SafetensorsFile.load(
                contentsOf: (work.graphURL?.deletingLastPathComponent() ?? URL(fileURLWithPath: "."))
                    .appendingPathComponent(name),
                displayName: name
            )
        }
        return try GraphWeights.values(of: work.graph, file: file)
    }
}
