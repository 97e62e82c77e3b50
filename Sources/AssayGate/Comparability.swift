import AssayCore

/// Whether two runs may be compared by the gate, and every part of their identity that differs.
public struct Comparability: Codable, Sendable, Equatable {
    /// One part of the identity that differs between baseline and current.
    public struct Difference: Codable, Sendable, Equatable, CustomStringConvertible {
        /// `target id`, `descriptor digest (waivers excluded)`, `backend name`, `backend version`, `host fingerprint`.
        public var field: String
        public var baseline: String
        public var current: String
        public init(field: String, baseline: String, current: String) {
            self.field = field
            self.baseline = baseline
            self.current = current
        }
        public var description: String { "\(field): baseline \(baseline), current \(current)" }
    }

    public var baseline: RunIdentity
    public var current: RunIdentity
    /// Empty when the runs are comparable.
    public var differences: [Difference]

    public var isComparable: Bool { differences.isEmpty }

    public init(baseline: RunIdentity, current: RunIdentity) {
        self.baseline = baseline
        self.current = current
        let parts: [(String, KeyPath<RunIdentity, String>)] = [
            ("target id", \.targetID), ("descriptor digest (waivers excluded)", \.descriptorDigest),
            ("backend name", \.backendName), ("backend version", \.backendVersion), ("host fingerprint", \.fingerprint),
        ]
        differences = parts.compactMap { field, path in
            baseline[keyPath: path] == current[keyPath: path]
                ? nil : Difference(field: field, baseline: baseline[keyPath: path], current: current[keyPath: path])
        }
    }

    public init(baseline: RunRecord, current: RunRecord) {
        self.init(baseline: RunIdentity(baseline), current: RunIdentity(current))
    }
}
