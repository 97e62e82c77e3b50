import Foundation

/// The predicate of an adaptation certificate: which profile judged which run of which
/// target, the verdict, and the figures behind it (docs/FORMATS.md, "Certificates").
///
/// Dates are RFC 3339 strings, not `Date`, so the signed JSON is the same whatever the
/// encoder's date strategy, and `notBefore`/`notAfter` are what `StatementVerifier` reads.
public struct AdaptationPredicate: Codable, Sendable, Equatable {
    /// The one predicateType URI of adaptation certificates.
    public static let predicateType = "https://assay.dev/attestations/adaptation-certificate/v1"
    /// Subject name of the run record.
    public static let runSubjectName = "run.json"

    /// Subject name of the target descriptor snapshot stored at `path` in the run record.
    public static func descriptorSubjectName(path: String) -> String { "descriptor:\(path)" }

    public struct Profile: Codable, Sendable, Equatable {
        public var id: String
        public var version: String
        public var title: String
        /// sha256 of the profile file's text.
        public var sha256: String
    }

    public struct Target: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var kind: String
        public var vendor: String?
        public var model: String?
        public var versions: [String: String]
        /// sha256 of the descriptor text snapshotted in the run record.
        public var descriptorSHA256: String
    }

    public struct Run: Codable, Sendable, Equatable {
        public var id: String
        public var startedAt: String
        public var finishedAt: String?
        public var suites: [String]
        public var backend: String
    }

    /// A headline performance figure, in percent (0–100) of the metric's ceiling.
    public struct KeyFigure: Codable, Sendable, Equatable {
        public var caseID: String
        public var metric: PerformanceFloor.Metric
        public var value: Double
        /// The profile's floor for the case, in percent; nil when no floor applies.
        public var floor: Double? = nil
        /// What the figure is a share of: the declared peaks or the reference run (nil in
        /// certificates from before the basis was recorded).
        public var basis: PerformanceFloor.Basis? = nil
    }

    /// The run a profile's `reference_run` pins, by the digest of its run.json.
    public struct ReferenceRunReference: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
    }

    /// The run attestation the certificate relies on (`run.dsse.json`).
    public struct RunAttestationReference: Codable, Sendable, Equatable {
        /// SHA-256 of run.dsse.json's bytes.
        public var sha256: String
        /// Key id of the station that signed it.
        public var stationKeyID: String
    }

    public struct AppliedWaiver: Codable, Sendable, Equatable {
        public var caseID: String
        public var category: String
        public var reference: String
        public var expires: String
    }

    public var profile: Profile
    /// `pass` (a certificate is only issued for a met profile).
    public var result: String
    /// The highest level reached.
    public var level: String
    public var target: Target
    public var run: Run
    public var environmentFingerprint: String
    public var keyFigures: [KeyFigure]
    /// Outcome raw value → number of cases, every outcome listed.
    public var counts: [String: Int]
    public var waivers: [AppliedWaiver]
    public var issuer: String
    public var issuedAt: String
    public var notBefore: String
    public var notAfter: String
    /// The version of the harness that produced the run record.
    public var harnessVersion: String
    /// The version of the harness that issued the certificate.
    public var issuingHarnessVersion: String
    /// nil only in certificates from a harness before run attestations.
    public var runAttestation: RunAttestationReference? = nil
    /// The waiver file the run applied, by its own digest (apart from the descriptor's); nil
    /// when the run had none, and in certificates from before waiver files.
    public var waiverFile: WaiverFileReference? = nil
    /// Where the descriptor's declared peaks come from (its `capabilities.source`); nil when it declares none.
    public var peakSource: String? = nil
    /// The reference run whose figures stood in for undeclared peaks; nil when the profile names none.
    public var referenceRun: ReferenceRunReference? = nil

    public struct WaiverFileReference: Codable, Sendable, Equatable {
        /// Where the run record names it (`Waivers/<target-id>.yaml`).
        public var path: String
        /// sha256 of the waiver file text snapshotted in the run record.
        public var sha256: String
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }
}
