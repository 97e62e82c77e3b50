import AssayCore
import AssayOps

/// Runs a performance case: sampling, statistics and the work model.
protocol PerformanceCaseRunner {
    func run(_ planned: PlannedCase, problem: OpProblem) throws -> PerformanceRecord
}

/// Runs a system check: a probe compared with the target's expectations.
protocol SystemCaseRunner {
    func run(check: String) -> SystemCheckOutcome
}

/// The verdict of one system check.
public struct SystemCheckOutcome: Sendable {
    public var outcome: Outcome
    public var observation: SystemObservation?
    public var message: String?
    public init(outcome: Outcome, observation: SystemObservation?, message: String?) {
        self.outcome = outcome; self.observation = observation; self.message = message
    }
}
