import AssayBackend
import AssayCore
import AssayOps
import AssayPlanning
import Foundation

/// Runs one planned case against a backend and returns its result; never throws:
/// every failure becomes a recorded outcome.
struct CaseExecutor {
    let backend: Backend
    let identity: BackendIdentity
    let performanceRunner: PerformanceCaseRunner?
    let systemChecker: SystemCaseRunner?
    /// Writes failing conformance cases' tensors (`--dump-tensors`).
    var tensorDump: TensorDump? = nil
    /// Runs collective cases (multi-rank targets).
    var collectiveRunner: CollectiveCaseRunner? = nil

    func run(_ planned: PlannedCase) -> CaseResult {
        let started = Date()
        let stderrMark = PluginStderrLog.shared.position
        var result = planned.startingResult(at: started)
        switch planned {
        case .system(let work):
            if let systemChecker {
                let observation = systemChecker.run(check: work.check)
                result.outcome = observation.outcome
                result.system = observation.observation
                result.message = observation.message
                result.stderrTail = observation.stderrTail
            } else {
                result.outcome = .error
                result.message = "system checks are not available in this run"
            }
        case .collective(let work):
            do {
                try (collectiveRunner ?? CollectiveCaseRunner(group: nil, identity: identity, linkGBs: nil)).run(
                    work,
                    into: &result
                )
            } catch {
                record(error, into: &result, stderrMark: stderrMark)
            }
        case .graph(let work):
            do {
                if work.phase != nil {
                    try runModelPerformance(work, into: &result)
                } else {
                    try ModelCaseRunner(backend: backend, identity: identity).run(work, into: &result)
                }
            } catch {
                record(error, into: &result, stderrMark: stderrMark)
            }
        case .op(let work):
            if !identity.supports(op: work.op.name, dtype: work.dtype) {
                result.outcome = .unsupported
                result.message = "backend \(identity.name) does not declare \(work.op.name) in \(work.dtype.rawValue)"
                break
            }
            do {
                switch work.purpose {
                case .conformance: try runConformance(work, into: &result)
                case .performance: try runPerformance(work, into: &result)
                }
            } catch {
                record(error, into: &result, stderrMark: stderrMark)
            }
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    private func runPerformance(_ work: OpCase, into result: inout CaseResult) throws {
        guard let performanceRunner else {
            result.outcome = .error
            result.message = "performance cases need the benchmarking core"
            return
        }
        result.performance = try performanceRunner.run(work)
        requireFigure(&result)
    }

    /// A model performance case: the graph timed like an op, with its model figures.
    private func runModelPerformance(_ work: GraphCase, into result: inout CaseResult) throws {
        guard let performanceRunner else {
            result.outcome = .error
            result.message = "performance cases need the benchmarking core"
            return
        }
        try performanceRunner.run(work, into: &result, continuing: nil)
        requireFigure(&result)
    }

    /// A case with no timed sample has no figure: it must not read as measured.
    private func requireFigure(_ result: inout CaseResult) {
        if let record = result.performance, record.n == 0 {
            result.outcome = .error
            result.message =
                "\(record.stopReason): no figure; raise the time cap (--time-cap, or the suite's time_cap_s)"
        }
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
        guard let previous = result.performance, let performanceRunner else { return result }
        var next = result
        let started = Date()
        do {
            switch planned {
            case .op(let work): next.performance = try performanceRunner.run(work, continuing: previous)
            case .graph(let work): try performanceRunner.run(work, into: &next, continuing: previous)
            case .system, .collective: return result
            }
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

    private func runConformance(_ work: OpCase, into result: inout CaseResult) throws {
        let op = work.op
        let problem = work.problem
        let inputs = InputGenerator.inputs(
            for: problem,
            values: work.values,
            seed: work.seed,
            caseID: work.id.description,
            specials: op.specialValues
        )
        let references = inputs.map(RefTensor.init)
        let expected = op.reference(problem, inputs: references)
        let outputs = try backend.execute(problem, inputs: inputs)
        let verdict = ConformanceChecker.judge(
            op: op,
            problem: problem,
            tolerance: work.tolerance,
            inputs: references,
            expected: expected,
            outputs: outputs
        )
        result.evidence = verdict.evidence
        result.outcome = verdict.passed ? .pass : .fail
        guard !verdict.passed else { return }
        result.message = verdict.message
        if let tensorDump, outputs.count == 1 {
            do {
                try tensorDump.write(
                    caseID: work.id.description,
                    problem: problem,
                    inputs: inputs,
                    expected: expected,
                    actual: outputs[0]
                )
            } catch { result.message! += " (tensors not dumped: \(error))" }
        }
    }
}
