import AssayCore
import Foundation

/// Signs a run where it was made: an in-toto statement over run.json, journal.jsonl, the input
/// texts and the harness executable, in a DSSE envelope written atomically as `run.dsse.json`.
public enum RunAttestor {
    /// The harness executable to name as a subject: its file name and bytes.
    public struct Harness: Sendable {
        public var name: String
        public var bytes: Data
        public init(name: String, bytes: Data) {
            self.name = name
            self.bytes = bytes
        }

        /// The running executable (Linux `/proc/self/exe`, else argv[0]).
        public static func current() throws -> Harness {
            let path =
                FileManager.default.fileExists(atPath: "/proc/self/exe") ? "/proc/self/exe" : CommandLine.arguments[0]
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw InputError(file: path, message: "cannot read the harness executable to attest it")
            }
            let name = URL(fileURLWithPath: CommandLine.arguments.first ?? "assay").lastPathComponent
            return Harness(name: name, bytes: bytes)
        }
    }

    /// Signs the run in `directory` (run.json and journal.jsonl as they are now) and writes
    /// `run.dsse.json`; returns its URL.
    @discardableResult
    public static func attest(
        directory: URL,
        key: SigningKey,
        harness: Harness,
        host: String = ProcessInfo.processInfo.hostName
    ) throws -> URL {
        let runURL = directory.appendingPathComponent("run.json")
        let journalURL = directory.appendingPathComponent(RunAttestation.journalSubjectName)
        guard let runBytes = FileManager.default.contents(atPath: runURL.path) else {
            throw InputError(file: runURL.path, message: "cannot read the run record to attest it")
        }
        guard let journalBytes = FileManager.default.contents(atPath: journalURL.path) else {
            throw InputError(file: journalURL.path, message: "cannot read the journal to attest it")
        }
        let record = try RunRecord.load(contentsOf: runURL)
        let verification = JournalVerification.verify(journalBytes, runID: record.runID, key: nil)
        let statement = InTotoStatement(
            subject: subjects(record: record, runBytes: runBytes, journalBytes: journalBytes) + [
                InTotoSubject(name: RunAttestation.harnessSubjectName(harness.name), contents: harness.bytes)
            ],
            predicateType: RunAttestation.predicateType,
            predicate: predicate(record: record, journal: verification, keyID: key.keyID, host: host)
        )
        let envelope = try EnvelopeSigner.sign(statement: statement, key: key)
        let url = directory.appendingPathComponent(RunAttestation.fileName)
        try envelope.jsonData().write(to: url, options: .atomic)
        return url
    }

    /// The subjects a verifier can recompute from the run directory alone (all but the harness).
    public static func subjects(record: RunRecord, runBytes: Data, journalBytes: Data) -> [InTotoSubject] {
        [
            InTotoSubject(name: AdaptationPredicate.runSubjectName, contents: runBytes),
            InTotoSubject(name: RunAttestation.journalSubjectName, contents: journalBytes),
            InTotoSubject(
                name: AdaptationPredicate.descriptorSubjectName(path: record.target.path),
                contents: Data(record.target.text.utf8)
            ),
        ]
            + record.suites.map {
                InTotoSubject(name: RunAttestation.suiteSubjectName(path: $0.path), contents: Data($0.text.utf8))
            }
    }

    static func predicate(
        record: RunRecord,
        journal: JournalVerification,
        keyID: String,
        host: String
    ) -> RunAttestation {
        let counts = record.outcomeCounts
        return RunAttestation(
            station: .init(keyID: keyID, host: host),
            runID: record.runID,
            status: record.status.rawValue,
            backend: .init(
                name: record.backend.name,
                version: record.backend.version,
                transport: record.backend.transport.rawValue,
                protocolVersion: record.backend.protocolVersion,
                devices: record.backend.devices.map(\.name)
            ),
            startedAt: RFC3339.string(from: record.startedAt),
            finishedAt: record.finishedAt.map(RFC3339.string(from:)),
            counts: Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
            plannedCases: record.plannedCases.count,
            journal: .init(lines: journal.lines.count, head: journal.head(runID: record.runID)),
            harnessVersion: record.harnessVersion
        )
    }
}
