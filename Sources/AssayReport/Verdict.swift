import AssayCore

/// The one-word answer a report leads with.
public enum Verdict: String, Codable, Sendable {
    /// Every planned case ran and each passed, was observed, unsupported or waived.
    case pass
    /// A case failed, errored, crashed or timed out.
    case fail
    /// Nothing failed, but the run did not finish (interrupted, or killed and not resumed).
    case incomplete

    public init(_ record: RunRecord) {
        if record.cases.contains(where: { !$0.outcome.isAcceptable }) {
            self = .fail
        } else if record.status != .complete || record.cases.count < record.plannedCases.count {
            self = .incomplete
        } else {
            self = .pass
        }
    }

    public var headline: String {
        switch self {
        case .pass: return "PASS"
        case .fail: return "FAIL"
        case .incomplete: return "INCOMPLETE"
        }
    }
}
