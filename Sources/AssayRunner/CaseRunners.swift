import AssayCore
import AssayOps
import AssayPlanning
import AssayProbe

/// Runs a performance case: sampling, statistics and the work model.
protocol PerformanceCaseRunner {
    func run(_ work: OpCase) throws -> PerformanceRecord
    /// One more round of a case: a fresh sampler run appended to `previous` as a round.
    func run(_ work: OpCase, continuing previous: PerformanceRecord) throws -> PerformanceRecord
    /// A model performance case (one round; with `previous`, its next round), into its result.
    func run(_ work: GraphCase, into result: inout CaseResult, continuing previous: PerformanceRecord?) throws
}

extension PerformanceCaseRunner {
    /// Runners without rounds measure once and keep the earlier record.
    func run(_ work: OpCase, continuing previous: PerformanceRecord) throws -> PerformanceRecord { previous }

    /// Runners without a graph path leave model performance cases without a figure.
    func run(_ work: GraphCase, into result: inout CaseResult, continuing previous: PerformanceRecord?) throws {
        result.outcome = .error
        result.message = "model performance cases need the benchmarking core"
    }
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
    /// The plugin's last stderr lines when a check through the backend crashed or timed out.
    public var stderrTail: String?
    public init(outcome: Outcome, observation: SystemObservation?, message: String?, stderrTail: String? = nil) {
        self.outcome = outcome
        self.observation = observation
        self.message = message
        self.stderrTail = stderrTail
    }

    /// A check's verdict, with the figures it measured.
    init(_ result: SystemCheckResult, figures: [String: Double]? = nil) {
        self.init(
            outcome: result.outcome,
            observation: SystemObservation(expected: result.expected, observed: result.observed, figures: figures),
            message: result.message
        )
    }
}
