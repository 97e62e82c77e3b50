import AssayCore
import AssayGraph
import AssayOps

/// The first node, in graph order, whose output from the backend is outside its op's own error
/// model (the conformance check of a single op case) when the op's float64 reference runs on the
/// node's ACTUAL inputs from the backend: a node downstream of a wrong one gets wrong inputs but
/// still computes correctly on them, so only the wrong node itself is outside its model.
enum FirstDivergentNode {
    /// `actual`: every node's output from the backend (a run exposing all of them).
    static func find(
        in graph: Graph,
        inputs: [String: Tensor],
        weights: [String: Tensor],
        actual: [String: Tensor],
        catalogue: OpCatalogue
    ) throws -> DivergentNode? {
        for node in graph.nodes {
            guard let output = actual[node.name] else { continue }
            let op = try catalogue.op(named: node.problem.op)
            let given = node.inputs.map { RefTensor(actual[$0] ?? inputs[$0] ?? weights[$0]!) }
            let (passed, evidence) = ConformanceChecker.judge(op, node.problem, inputs: given, actual: output)
            if !passed {
                return DivergentNode(
                    name: node.name,
                    op: node.problem.op,
                    line: node.line,
                    message: evidence.structural.first ?? ConformanceChecker.missSummary(evidence),
                    evidence: evidence
                )
            }
        }
        return nil
    }
}
