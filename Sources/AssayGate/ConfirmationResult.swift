import AssayCore

/// One case of a `--confirm` re-run: the verdict on the original current run and on the
/// fresh re-measurement that replaced it.
public struct ConfirmationResult: Codable, Sendable, Equatable {
    public var id: CaseID
    public var before: PerformanceComparison.Verdict
    /// nil when the case could not be measured again (not a performance case of the run's suites).
    public var after: PerformanceComparison.Verdict?
    public var ratioBefore: Double?
    public var ratioAfter: Double?
    /// Rounds of the re-measurement (0 when none).
    public var rounds: Int

    public init(
        id: CaseID,
        before: PerformanceComparison.Verdict,
        after: PerformanceComparison.Verdict?,
        ratioBefore: Double?,
        ratioAfter: Double?,
        rounds: Int
    ) {
        self.id = id
        self.before = before
        self.after = after
        self.ratioBefore = ratioBefore
        self.ratioAfter = ratioAfter
        self.rounds = rounds
    }
}
