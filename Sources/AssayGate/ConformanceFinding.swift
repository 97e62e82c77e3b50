import AssayCore

/// A case whose outcome changed in a way the gate reports.
public struct ConformanceFinding: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Acceptable in the baseline and not in the current run, or passed and is now unsupported.
        case regressed
        /// In the baseline, absent from the current run.
        case missing
        /// In the current run only.
        case new
        /// Not acceptable in the baseline, passes now.
        case fixed
        /// Passed in the baseline, failed now but covered by a waiver: reported, not failing.
        case newlyWaived
    }

    public var id: CaseID
    public var kind: Kind
    /// nil for a new case.
    public var baselineOutcome: Outcome?
    /// nil for a missing case.
    public var currentOutcome: Outcome?
    /// The current run's message (the failure's one-line reason), when it has one.
    public var message: String?
    /// True when this finding fails the gate (a regression, or a missing case without --allow-missing).
    public var failsGate: Bool

    public init(
        id: CaseID,
        kind: Kind,
        baselineOutcome: Outcome?,
        currentOutcome: Outcome?,
        message: String?,
        failsGate: Bool
    ) {
        self.id = id
        self.kind = kind
        self.baselineOutcome = baselineOutcome
        self.currentOutcome = currentOutcome
        self.message = message
        self.failsGate = failsGate
    }
}
