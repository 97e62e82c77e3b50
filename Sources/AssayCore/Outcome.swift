/// What happened to a case.
public enum Outcome: String, Codable, Sendable, CaseIterable {
    /// Correct answer (or, for performance, measured).
    case pass
    /// A system check the target declares nothing for: the probe's reading is recorded as
    /// information. Neither a pass nor a failure, and counted apart from both.
    case observed
    /// Wrong answer; the evidence says how.
    case fail
    /// The backend reported an error for a case it claims to support.
    case error
    /// The backend process died.
    case crash
    /// The backend did not answer in time.
    case timeout
    /// The backend declared it does not implement this op/dtype: a skip with a reason, never a pass.
    case unsupported
    /// Failed, but covered by a waiver with reason and reference.
    case waived

    /// Whether the outcome lets a run exit 0.
    public var isAcceptable: Bool { self == .pass || self == .observed || self == .unsupported || self == .waived }
}
