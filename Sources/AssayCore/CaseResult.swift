import Foundation

/// Everything known about one case once it has run: one line of the journal, one entry of run.json.
public struct CaseResult: Codable, Sendable, Equatable {
    public var id: CaseID
    public var kind: CaseKind
    public var op: String
    public var dtype: String
    public var params: AttrMap
    public var attrs: AttrMap
    public var values: InputValues?
    public var outcome: Outcome
    /// Why the outcome is what it is, in one line (backend error text, unsupported reason…).
    public var message: String?
    public var evidence: ConformanceEvidence?
    public var performance: PerformanceRecord?
    public var system: SystemObservation?
    /// A collective case's size, ranks and bandwidths (nil for other kinds).
    public var collective: CollectiveFigures?
    /// A model case's verdict figures (nil for other kinds).
    public var model: ModelEvidence?
    /// A model performance case's tokens/s, latency and memory (nil for other kinds).
    public var modelPerformance: ModelPerformance?
    /// The waiver that turned a failure into `waived`, or an expired one that no longer applies.
    public var waiver: WaiverNote?
    /// The last lines of a plugin's stderr around a crash or timeout.
    public var stderrTail: String?
    public var startedAt: Date
    public var seconds: Double

    public init(
        id: CaseID,
        kind: CaseKind,
        op: String,
        dtype: String,
        params: AttrMap = [:],
        attrs: AttrMap = [:],
        values: InputValues? = nil,
        outcome: Outcome,
        message: String? = nil,
        evidence: ConformanceEvidence? = nil,
        performance: PerformanceRecord? = nil,
        system: SystemObservation? = nil,
        waiver: WaiverNote? = nil,
        stderrTail: String? = nil,
        startedAt: Date = Date(),
        seconds: Double = 0
    ) {
        self.id = id
        self.kind = kind
        self.op = op
        self.dtype = dtype
        self.params = params
        self.attrs = attrs
        self.values = values
        self.outcome = outcome
        self.message = message
        self.evidence = evidence
        self.performance = performance
        self.system = system
        self.waiver = waiver
        self.stderrTail = stderrTail
        self.startedAt = startedAt
        self.seconds = seconds
    }
}

/// A system check's comparison: what was expected and what the probe saw.
public struct SystemObservation: Codable, Sendable, Equatable {
    public var expected: String
    public var observed: String
    /// The measured figures behind `observed`, by name (e.g. `h2d_pinned_gbs`, `total_bytes`), for
    /// tools that read the record; nil for checks that only compare text.
    public var figures: [String: Double]?
    /// Why the check does not apply to this target (a device check on a target without a
    /// device); such an `unsupported` case is left out of a profile's unsupported ratio.
    public var notApplicable: String?
    /// `host_device_bandwidth`: every device's link and NUMA node (one per rank of a multi-rank target).
    public var devices: [HostDeviceLink]?
    public init(
        expected: String,
        observed: String,
        figures: [String: Double]? = nil,
        notApplicable: String? = nil,
        devices: [HostDeviceLink]? = nil
    ) {
        self.expected = expected
        self.observed = observed
        self.figures = figures
        self.notApplicable = notApplicable
        self.devices = devices
    }
}

/// A waiver as it was applied to a case (or found expired).
public struct WaiverNote: Codable, Sendable, Equatable {
    public var pattern: String
    public var category: Waiver.Category
    public var reference: String
    public var reason: String
    /// The waiver's last day (inclusive), as midnight UTC.
    public var expires: Date
    /// True when the waiver matched but had expired, so the failure stands.
    public var expired: Bool
    /// Who keeps and who approved the waiver (absent for the deprecated descriptor waivers).
    public var owner: String?
    public var approver: String?

    public init(_ waiver: Waiver, expired: Bool) {
        pattern = waiver.pattern
        category = waiver.category
        reference = waiver.reference
        reason = waiver.reason
        expires = waiver.expires
        self.expired = expired
        owner = waiver.owner
        approver = waiver.approver
    }

    /// Whether the waiver no longer applies at `date` (it applies through its `expires` day).
    public func isExpired(at date: Date) -> Bool { Waiver.isExpired(lastDay: expires, at: date) }
}
