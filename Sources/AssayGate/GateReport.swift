import AssayCore
import Foundation

/// Everything one gate decision found: what was compared, every finding and verdict, and the status.
public struct GateReport: Codable, Sendable {
    /// The overall result, which maps one-to-one onto the exit code.
    public enum Status: String, Codable, Sendable {
        /// Every compared case is the same or improved, and nothing regressed or went missing.
        case pass
        /// A conformance regression, a performance regression, or a missing case without --allow-missing.
        case regression
        /// No regression, but at least one performance case could not be decided.
        case inconclusive

        /// The documented exit code of `assay gate` (README, docs/CI.md): 0 pass, 1 regression, 3 inconclusive only.
        /// (2, bad input or refused comparison, never comes from a report.)
        public var exitCode: Int32 {
            switch self {
            case .pass: return 0
            case .regression: return 1
            case .inconclusive: return 3
            }
        }
    }

    /// Which run each side was.
    public struct RunSummary: Codable, Sendable, Equatable {
        public var runID: String
        public var targetID: String
        public var fingerprint: String
        public var source: String
        public init(runID: String, targetID: String, fingerprint: String, source: String) {
            self.runID = runID
            self.targetID = targetID
            self.fingerprint = fingerprint
            self.source = source
        }
    }

    public var baseline: RunSummary
    public var current: RunSummary
    public var options: GateOptions
    /// True when the runs' identities differ and --allow-different-target let the comparison go ahead.
    public var differentTargets: Bool
    /// Each side's identity and every part that differs (`Comparability`).
    public var identity: Comparability
    public var conformance: [ConformanceFinding]
    public var performance: [PerformanceComparison]
    /// Cases in both runs.
    public var comparedCases: Int
    public var status: Status
    /// Every baseline run, oldest first, when the baseline is a history of several (the last is `baseline`).
    public var baselineHistory: [RunSummary]?
    /// Every current run, oldest first, when the current side is several runs (the last is `current`).
    public var currentRuns: [RunSummary]?
    /// `--confirm`: each re-measured case's verdict before and after (the report's verdicts are the after ones).
    public var confirmation: [ConfirmationResult]?

    public init(
        baseline: RunSummary,
        current: RunSummary,
        options: GateOptions,
        identity: Comparability,
        conformance: [ConformanceFinding],
        performance: [PerformanceComparison],
        comparedCases: Int
    ) {
        self.baseline = baseline
        self.current = current
        self.options = options
        self.differentTargets = !identity.isComparable
        self.identity = identity
        self.conformance = conformance
        self.performance = performance
        self.comparedCases = comparedCases
        self.status = GateReport.status(conformance: conformance, performance: performance)
    }

    public static func status(conformance: [ConformanceFinding], performance: [PerformanceComparison]) -> Status {
        if conformance.contains(where: \.failsGate) || performance.contains(where: { $0.verdict == .regressed }) {
            return .regression
        }
        if performance.contains(where: { $0.verdict == .inconclusive }) { return .inconclusive }
        return .pass
    }

    public func findings(_ kind: ConformanceFinding.Kind) -> [ConformanceFinding] {
        conformance.filter { $0.kind == kind }
    }
    public func verdicts(_ verdict: PerformanceComparison.Verdict) -> [PerformanceComparison] {
        performance.filter { $0.verdict == verdict }
    }

    /// The performance cases a confirmation re-run should measure again.
    public var casesToConfirm: [CaseID] {
        performance.filter { $0.verdict == .regressed || $0.verdict == .inconclusive }.map(\.id)
    }

    /// The report as JSON in the record dialect (sorted keys, NaN as "nan").
    public func jsonData() throws -> Data { try RecordCoding.encoder().encode(self) }
}
