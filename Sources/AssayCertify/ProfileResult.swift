/// The verdict of a profile on a run: passed when its first level is reached, and every
/// reason a level was missed.
public struct ProfileResult: Sendable, Equatable, Codable {
    /// One unmet requirement, structured so reports and tests need not parse messages.
    public struct Reason: Sendable, Equatable, Codable, CustomStringConvertible {
        /// `run_status`, `target_kind` or a `CertificationProfile.Requirement` raw value.
        public var requirement: String
        /// The lowest level that needs the requirement.
        public var level: String
        public var caseID: String?
        public var observed: String
        public var required: String
        public var message: String

        public init(
            requirement: String,
            level: String,
            caseID: String? = nil,
            observed: String,
            required: String,
            message: String
        ) {
            self.requirement = requirement
            self.level = level
            self.caseID = caseID
            self.observed = observed
            self.required = required
            self.message = message
        }

        public var description: String { "[\(level)] \(message)" }
    }

    public static let runStatusRequirement = "run_status"
    public static let targetKindRequirement = "target_kind"

    public var profileID: String
    public var passed: Bool
    /// The highest level reached; nil when not even the first one was.
    public var level: String?
    public var reasons: [Reason]
    /// What the evaluation set aside and why (cases that do not apply to the target), for the reader.
    public var notes: [String]

    public init(profileID: String, passed: Bool, level: String?, reasons: [Reason], notes: [String] = []) {
        self.profileID = profileID
        self.passed = passed
        self.level = level
        self.reasons = reasons
        self.notes = notes
    }
}
