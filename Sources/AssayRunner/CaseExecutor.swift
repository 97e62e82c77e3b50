import AssayBackend
import AssayCore
import AssayOps
import Foundation

/// Runs one planned case against a backend and returns its result; never throws:
/// every failure becomes a recorded outcome.
struct CaseExecutor {
    let backend: Backend
    let identity: BackendIdentity
    let catalogue: OpCatalogue
    let performanceRunner: PerformanceCaseRunner?
    let systemChecker: SystemCaseRunner?

    func run(_ planned: PlannedCase) -> CaseResult {
        let started = Date()
        var result = CaseResult(id: planned.id, kind: planned.kind, op: planned.op, dtype: planned.dtype?.rawValue ?? "-",
                                params: planned.params, attrs: planned.attrs, values: planned.kind == .conformance ? planned.values : nil,
                                outcome: .pass, startedAt: started)
        switch planned.kind {
        case .system:
            if let systemChecker, let check = planned.check {
                let observation = systemChecker.run(check: check)
                result.outcome = observation.outcome
                result.system = observation.observation
                result.message = observation.message
                result.stderrTail = observation.stderrTail
            } else {
                result.outcome = .error
                result.message = "system checks are not available in this run"
            }
        case .conformance, .performance:
            guard let problem = planned.problem, let dtype = planned.dtype else {
                result.outcome = .error
                result.message = "case has no resolved problem"
                break
            }
            if !identity.supports(op: planned.op, dtype: dtype.rawValue) {
                result.outcome = .unsupported
                result.message = "backend \(identity.name) does not declare \(planned.op) in \(dtype.rawValue)"
                break
            }
            do {
                if planned.kind == .conformance {
                    try runConformance(planned, problem: problem, into: &result)
                } else if let performanceRunner {
                    let record = try performanceRunner.run(planned, problem: problem)
                    result.performance = record
                    // A case with no timed sample has no figure: it must not read as measured.
                    if record.n == 0 {
                        result.outcome = .error
                        result.message = "\(record.stopReason): no figure; raise the time cap (--time-cap, or the suite's time_cap_s)"
                    }
                } else {
                    result.outcome = .error
                    result.message = "performance cases need the benchmarking core"
                }
            } catch let error as BackendError {
                result.outcome = error.outcome
                result.message = error.description
                result.stderrTail = error.stderrTail
            } catch {
                result.outcome = .error
                result.message = "\(error)"
            }
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    private func runConformance(_ planned: PlannedCase, problem: OpProblem, into result: inout CaseResult) throws {
        let op = try catalogue.op(named: planned.op)
        let inputs = InputGenerator.inputs(for: problem, values: planned.values, seed: planned.seed,
                                           caseID: planned.id.description, specials: op.specialValues)
        let expected = op.reference(problem, inputs: inputs.map(RefTensor.init))
        let outputs = try backend.execute(problem, inputs: inputs)
        guard outputs.count == 1 else {
            result.outcome = .fail
            result.message = "expected 1 output, got \(outputs.count)"
            return
        }
        let (passed, evidence) = ConformanceChecker.check(expected: expected, expectedSpec: problem.output, actual: outputs[0],
                                                          tolerance: planned.tolerance ?? .forProblem(problem))
        result.evidence = evidence
        result.outcome = passed ? .pass : .fail
        if !passed {
            result.message = evidence.structural.first
                ?? "\(evidence.mismatches)/\(evidence.elements) elements beyond atol \(evidence.atol) + rtol \(evidence.rtol)·|ref|; max abs error \(evidence.maxAbsError)"
            if evidence.structural.isEmpty,
               let flushed = SubnormalFlush.note(expected: expected.data, actual: outputs[0].values(), dtype: problem.output.dtype) {
                result.message = (result.message ?? "") + "; " + flushed
            }
        }
    }
}
