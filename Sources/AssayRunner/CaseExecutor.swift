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
    /// Writes failing conformance cases' tensors (`--dump-tensors`).
    var tensorDump: TensorDump? = nil
    /// Runs collective cases (multi-rank targets).
    var collectiveRunner: CollectiveCaseRunner? = nil

    func run(_ planned: PlannedCase) -> CaseResult {
        let started = Date()
        let stderrMark = PluginStderrLog.shared.position
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
        case .collective:
            do {
                try (collectiveRunner ?? CollectiveCaseRunner(group: nil, identity: identity, linkGBs: nil)).run(planned, into: &result)
            } catch {
                record(error, into: &result, stderrMark: stderrMark)
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
            } catch {
                record(error, into: &result, stderrMark: stderrMark)
            }
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    /// A backend failure as the case's outcome, with the plugin's stderr where it explains it.
    private func record(_ error: Error, into result: inout CaseResult, stderrMark: Int) {
        guard let error = error as? BackendError else {
            result.outcome = .error
            result.message = "\(error)"
            return
        }
        result.outcome = error.outcome
        result.message = error.description
        result.stderrTail = error.stderrTail
        // An internal error's traceback went to the plugin's stderr while the case ran.
        if case .internal = error { result.stderrTail = PluginStderrLog.shared.text(since: stderrMark) }
    }

    /// One more round of a performance case that already has a record: the merged record, or
    /// the case turned into an error when the round failed (the earlier rounds' record is kept).
    func nextRound(_ planned: PlannedCase, after result: CaseResult) -> CaseResult {
        guard let previous = result.performance, let problem = planned.problem, let performanceRunner else { return result }
        var next = result
        let started = Date()
        do {
            next.performance = try performanceRunner.run(planned, problem: problem, continuing: previous)
        } catch let error as BackendError {
            next.outcome = error.outcome
            next.message = "round \((previous.rounds?.count ?? 1) + 1): \(error.description)"
            next.stderrTail = error.stderrTail
        } catch {
            next.outcome = .error
            next.message = "round \((previous.rounds?.count ?? 1) + 1): \(error)"
        }
        next.seconds = result.seconds + Date().timeIntervalSince(started)
        return next
    }

    private func runConformance(_ planned: PlannedCase, problem: OpProblem, into result: inout CaseResult) throws {
        let op = try catalogue.op(named: planned.op)
        let inputs = InputGenerator.inputs(for: problem, values: planned.values, seed: planned.seed,
                                           caseID: planned.id.description, specials: op.specialValues)
        let references = inputs.map(RefTensor.init)
        let expected = op.reference(problem, inputs: references)
        let outputs = try backend.execute(problem, inputs: inputs)
        guard outputs.count == 1 else {
            result.outcome = .fail
            result.message = "expected 1 output, got \(outputs.count)"
            return
        }
        let policy = planned.tolerance ?? .forProblem(problem, model: op.errorModel(for: problem.output.dtype))
        let magnitudes = policy.overrideReason == nil && policy.model.needsMagnitudes ? op.magnitudes(problem, inputs: references) : nil
        let (passed, evidence) = ConformanceChecker.check(expected: expected, expectedSpec: problem.output, actual: outputs[0], tolerance: policy,
                                                          magnitudes: magnitudes, context: .init(op: op, problem: problem, inputs: references))
        result.evidence = evidence
        result.outcome = passed ? .pass : .fail
        if !passed {
            result.message = evidence.structural.first ?? Self.missSummary(evidence)
            if evidence.structural.isEmpty,
               let flushed = SubnormalFlush.note(expected: expected.data, actual: outputs[0].values(), dtype: problem.output.dtype) {
                result.message = (result.message ?? "") + "; " + flushed
            }
            if let tensorDump {
                do { try tensorDump.write(caseID: planned.id.description, problem: problem, inputs: inputs, expected: expected, actual: outputs[0]) }
                catch { result.message! += " (tensors not dumped: \(error))" }
            }
        }
    }

    /// "12/4096 elements beyond the error model (…); worst at [3, 7]: expected NaN, got 0.0"
    static func missSummary(_ evidence: ConformanceEvidence) -> String {
        var text = "\(evidence.mismatches)/\(evidence.elements) elements beyond \(evidence.model ?? "tolerance")"
        if let worst = evidence.samples.first {
            text += "; worst at \(worst.index): " + ConformanceEvidence.describe(expected: worst.expected, actual: worst.actual, dtype: evidence.dtype)
            if let ulps = worst.ulps { text += " (\(DType.f64.shortest((ulps * 10).rounded() / 10)) ulp)" }
        }
        return text
    }
}
