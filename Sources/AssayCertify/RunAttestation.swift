import AssayCore
import Foundation

/// The predicate of a run attestation (`run.dsse.json`, docs/FORMATS.md "Run attestations"):
/// the station that made the run signs what it recorded, when it ends or is interrupted.
/// Subjects: run.json, journal.jsonl, the descriptor and suite texts snapshotted in run.json,
/// and the harness executable.
public struct RunAttestation: Codable, Sendable, Equatable {
    public static let predicateType = "https://assay.dev/attestations/run/v1"
    public static let fileName = "run.dsse.json"
    public static let journalSubjectName = "journal.jsonl"

    public static func suiteSubjectName(path: String) -> String { "suite:\(path)" }
    public static func harnessSubjectName(_ name: String) -> String { "harness:\(name)" }

    public struct Station: Codable, Sendable, Equatable {
        /// sha256 of the station's raw public key (as `assay keygen` prints it).
        public var keyID: String
        /// The host name of the machine that ran the cases.
        public var host: String
    }

    public struct Backend: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var transport: String
        public var protocolVersion: Int?
        public var devices: [String]
    }

    public struct Journal: Codable, Sendable, Equatable {
        public var lines: Int
        /// SHA-256 of the last line.
        public var head: String
    }

    public var station: Station
    public var runID: String
    /// run.json's status when signed: `complete` or `interrupted`.
    public var status: String
    public var backend: Backend
    public var startedAt: String
    public var finishedAt: String?
    /// Outcome raw value → cases, every outcome listed.
    public var counts: [String: Int]
    public var plannedCases: Int
    public var journal: Journal
    public var harnessVersion: String
}
