import AssayCore
import AssayOps
import Foundation

/// What certification checks before it believes a run record: a run attestation signed by a
/// trusted station, every file matching it, an unbroken journal chain, and run.json agreeing
/// with the journal and with the evidence it records (conformance evidence re-judged against its
/// recorded tolerance). Any disagreement is a refusal with its reason, never a warning.
public enum RunAudit {
    public struct Attested: Sendable, Equatable {
        /// SHA-256 of run.dsse.json's bytes.
        public var envelopeSHA256: String
        public var stationKeyID: String
        public var attestation: RunAttestation
    }

    public enum Verdict: Sendable, Equatable {
        case attested(Attested)
        case refused([String])
    }

    public static func audit(_ run: RunLocation, record: RunRecord, runBytes: Data, trust: StationTrust) -> Verdict {
        let envelopeURL = run.directory.appendingPathComponent(RunAttestation.fileName)
        guard let envelopeBytes = FileManager.default.contents(atPath: envelopeURL.path) else {
            return .refused([
                "the run is not attested: no \(RunAttestation.fileName) (run it with --sign-with a station key)"
            ])
        }
        guard !trust.keys.isEmpty else { return .refused(["no trusted station key given (--station-pubkey)"]) }
        let signed: (payload: Data, keyID: String)
        switch authenticate(envelopeBytes, trust: trust) {
        case .success(let value): signed = value
        case .failure(let reason): return .refused([reason.description])
        }
        let statement: InTotoStatement<RunAttestation>
        do {
            try StrictJSON.check(signed.payload)
            statement = try JSONDecoder().decode(InTotoStatement<RunAttestation>.self, from: signed.payload)
        } catch {
            return .refused(["\(RunAttestation.fileName): not a run attestation (\(DecodingProblem.describe(error)))"])
        }
        guard statement.type == InToto.statementType, statement.predicateType == RunAttestation.predicateType else {
            return .refused([
                "\(RunAttestation.fileName): predicate type '\(statement.predicateType)' is not \(RunAttestation.predicateType)"
            ])
        }
        let journalURL = run.directory.appendingPathComponent(RunAttestation.journalSubjectName)
        guard let journalBytes = FileManager.default.contents(atPath: journalURL.path) else {
            return .refused(["cannot read \(journalURL.path)"])
        }
        var reasons = subjectProblems(statement.subject, record: record, runBytes: runBytes, journalBytes: journalBytes)
        let predicate = statement.predicate
        if predicate.station.keyID != signed.keyID {
            reasons.append(
                "the attestation names station key \(predicate.station.keyID) but is signed by \(signed.keyID)"
            )
        }
        reasons += JournalConsistency.problems(record: record, journalBytes: journalBytes, attestation: predicate)
        guard reasons.isEmpty else { return .refused(reasons) }
        return .attested(
            Attested(
                envelopeSHA256: Digest.sha256Hex(envelopeBytes),
                stationKeyID: signed.keyID,
                attestation: predicate
            )
        )
    }

    /// The payload and the key id of the first trusted station whose key verifies the envelope.
    static func authenticate(
        _ envelopeBytes: Data,
        trust: StationTrust
    ) -> Result<(payload: Data, keyID: String), RefusalReason> {
        var lastError: VerificationError?
        for key in trust.keys {
            do {
                return .success((try EnvelopeVerifier.verify(envelopeJSON: envelopeBytes, trustedKey: key), key.keyID))
            } catch {
                lastError = error
                if case .badSignature = error { continue }
                break
            }
        }
        if case .badSignature = lastError {
            return .failure(
                RefusalReason(
                    "\(RunAttestation.fileName) is not signed by a trusted station (trusted keys: \(trust.keys.map(\.keyID).joined(separator: ", ")))"
                )
            )
        }
        return .failure(RefusalReason("\(RunAttestation.fileName): \(lastError.map { "\($0)" } ?? "no trusted key")"))
    }

    struct RefusalReason: Error, CustomStringConvertible, Sendable {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Each file the run directory can recompute must be a subject with that digest.
    static func subjectProblems(
        _ subjects: [InTotoSubject],
        record: RunRecord,
        runBytes: Data,
        journalBytes: Data
    ) -> [String] {
        var problems: [String] = []
        for expected in RunAttestor.subjects(record: record, runBytes: runBytes, journalBytes: journalBytes) {
            let found = subjects.filter { $0.name == expected.name }
            if found.count != 1 || found[0].sha256?.lowercased() != expected.sha256 {
                problems.append(
                    "\(expected.name) does not match the run attestation (sha256 \(expected.sha256 ?? "?"), attested \(found.first?.sha256 ?? "none"))"
                )
            }
        }
        let snapshots =
            [(record.target.path, record.target.text, record.target.sha256)]
            + record.suites.map { ($0.path, $0.text, $0.sha256) }
        for (path, text, sha256) in snapshots where Digest.sha256Hex(text) != sha256 {
            problems.append("run.json's snapshot of \(path) does not match its own sha256")
        }
        if !subjects.contains(where: { $0.name.hasPrefix(RunAttestation.harnessSubjectName("")) }) {
            problems.append("the run attestation names no harness executable")
        }
        return problems
    }
}

extension RunAudit.RefusalReason: Equatable {}
