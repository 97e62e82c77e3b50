import AssayCore
import AssayOps
import AssayPlanning
import AssayTestSupport
import Foundation

@testable import AssayRunner

/// The real conformance suite (Suites/conformance.yaml), expanded, with each case's inputs,
/// reference, magnitudes and policy: what the checker sees, without a backend.
enum ConformanceCases {
    static let planned: [OpCase] = {
        let url = Repository.root.appendingPathComponent("Suites/conformance.yaml")
        let suite = try! Suite.load(
            contentsOf: url,
            displayName: "Suites/conformance.yaml",
            validator: SuiteValidator()
        ).0
        return try! SuiteExpander.expand(suite, catalogue: .standard).compactMap(\.opCase)
    }()

    static func cases(of op: String) -> [OpCase] { planned.filter { $0.op.name == op } }

    /// One case made ready to judge outputs against.
    struct Prepared {
        let planned: OpCase
        let problem: OpProblem
        let op: any Operator
        let inputs: [Tensor]
        let references: [RefTensor]
        let expected: RefTensor
        let magnitudes: [Double]?

        init(_ planned: OpCase) {
            self.planned = planned
            problem = planned.problem
            op = planned.op
            inputs = InputGenerator.inputs(
                for: problem,
                values: planned.values,
                seed: planned.seed,
                caseID: planned.id.description,
                specials: op.specialValues
            )
            references = inputs.map(RefTensor.init)
            expected = op.reference(problem, inputs: references)
            let policy = planned.tolerance
            magnitudes = policy.model.needsMagnitudes ? op.magnitudes(problem, inputs: references) : nil
        }

        /// Whether the conformance check passes `values` (rounded to the output dtype) as the result.
        func passes(_ values: [Double]) -> Bool {
            let output = Tensor(dtype: problem.output.dtype, shape: problem.output.shape, values: values)
            return ConformanceChecker.check(
                expected: expected,
                expectedSpec: problem.output,
                actual: output,
                tolerance: planned.tolerance,
                magnitudes: magnitudes,
                context: .init(op: op, problem: problem, inputs: references)
            ).passed
        }
    }
}
