import AssayCore
import AssayOps

extension ConformanceChecker {
    /// One op on given inputs against its float64 reference under the op's own error model in
    /// the problem's dtype: the check of an op conformance case, for a node of a model graph.
    static func judge(
        _ op: any Operator,
        _ problem: OpProblem,
        inputs: [RefTensor],
        actual: Tensor
    ) -> (passed: Bool, evidence: ConformanceEvidence) {
        let policy = TolerancePolicy.forProblem(problem, model: op.errorModel(for: problem.dtype))
        return check(
            expected: op.reference(problem, inputs: inputs),
            expectedSpec: problem.output,
            actual: actual,
            tolerance: policy,
            magnitudes: policy.model.needsMagnitudes ? op.magnitudes(problem, inputs: inputs) : nil,
            context: .init(op: op, problem: problem, inputs: inputs)
        )
    }
}
