import AssayCore
import Foundation

/// Verifies an adaptation certificate file the way `assay verify` does: signature with the
/// trusted key, payload and predicate types, validity window, the predicate's schema, and,
/// given the run, the run record's and descriptor's digests.
public enum CertificateCheck {
    public struct Verified: Sendable {
        public var predicate: AdaptationPredicate
        public var subjects: [InTotoSubject]
        /// Whether the level was checked against the profile's levels.
        public var levelChecked = false

        /// `valid: local-cpu pass compatible, valid until 2026-11-24T00:00:00Z`.
        public var summary: String {
            "valid: \(predicate.target.id) \(predicate.result) \(predicate.level), valid until \(predicate.notAfter)"
                + (levelChecked ? "" : " (level not checked: profile \(predicate.profile.id) not given)")
        }
    }

    /// Reads the files, then checks. Unreadable files are `InputError`/`KeyError` (bad input);
    /// a certificate that does not verify is a `VerificationError` with its own exit code.
    /// With `run`, its run.json, descriptor and run attestation must be the certified ones; with
    /// `stations` too, the run is audited as `assay certify` does (`RunAudit`).
    public static func verify(
        certificate: URL,
        publicKey: URL,
        run: RunLocation?,
        at now: Date = Date(),
        stations: StationTrust? = nil,
        profile: CertificationProfile? = nil
    ) throws -> Verified {
        guard let envelopeData = FileManager.default.contents(atPath: certificate.path) else {
            throw InputError(file: certificate.path, message: "cannot read the certificate")
        }
        let key = try TrustedPublicKey(contentsOf: publicKey)
        guard let run else {
            return try verify(
                envelopeJSON: envelopeData,
                trustedKey: key,
                expectedSubjects: nil,
                at: now,
                profile: profile
            )
        }
        let runBytes = try run.bytes()
        let attestationBytes = FileManager.default.contents(
            atPath: run.directory.appendingPathComponent(RunAttestation.fileName).path
        )
        let verified = try verify(
            envelopeJSON: envelopeData,
            trustedKey: key,
            expectedSubjects: expectedSubjects(runBytes: runBytes, attestationBytes: attestationBytes),
            at: now,
            profile: profile
        )
        if let reference = verified.predicate.runAttestation, attestationBytes == nil {
            throw VerificationError.subjectDigestMismatch(
                name: RunAttestation.fileName,
                expected: reference.sha256,
                found: nil
            )
        }
        if let stations {
            let record = try RunRecord.load(contentsOf: run.runJSON)
            if case .refused(let reasons) = RunAudit.audit(run, record: record, runBytes: runBytes, trust: stations) {
                throw VerificationError.runNotAttested(reasons.joined(separator: "; "))
            }
        }
        return verified
    }

    /// With `profile`, the certificate must name that profile's exact text and one of its levels.
    public static func verify(
        envelopeJSON: Data,
        trustedKey: TrustedPublicKey,
        expectedSubjects: [String: String]?,
        at now: Date = Date(),
        profile: CertificationProfile? = nil
    ) throws(VerificationError) -> Verified {
        let envelope = try DSSEEnvelope(jsonData: envelopeJSON)
        let statement = try CertificateVerifier.verify(
            envelope: envelope,
            trustedKey: trustedKey,
            expectedPredicateType: AdaptationPredicate.predicateType,
            at: now,
            expectedSubjects: expectedSubjects
        )
        // The signature is good, so the payload is the issuer's; read it with our schema.
        let predicate: AdaptationPredicate
        do {
            predicate = try JSONDecoder().decode(
                AdaptationPredicate.self,
                from: SortedKeysJSON.encode(statement.predicate)
            )
        } catch {
            throw .malformedStatement("not an adaptation predicate (\(DecodingProblem.describe(error)))")
        }
        guard predicate.result == "pass" else { throw .notAPass("result is '\(predicate.result)'") }
        if let profile {
            guard profile.id == predicate.profile.id, profile.sha256 == predicate.profile.sha256 else {
                throw .notAPass(
                    "issued under profile \(predicate.profile.id) sha256 \(predicate.profile.sha256), not the given \(profile.id) sha256 \(profile.sha256)"
                )
            }
            guard profile.levels.contains(where: { $0.id == predicate.level }) else {
                throw .notAPass(
                    "level '\(predicate.level)' is not one of profile \(profile.id)'s levels (\(profile.levels.map(\.id).joined(separator: ", ")))"
                )
            }
        }
        return Verified(predicate: predicate, subjects: statement.subject, levelChecked: profile != nil)
    }

    /// run.json by the digest of its bytes; the descriptor by the digest of the text the
    /// record holds. A record too damaged to read still yields the run.json digest, which
    /// is what then fails to match.
    public static func expectedSubjects(runBytes: Data, attestationBytes: Data? = nil) -> [String: String] {
        var expected = [AdaptationPredicate.runSubjectName: Digest.sha256Hex(runBytes)]
        if let attestationBytes { expected[RunAttestation.fileName] = Digest.sha256Hex(attestationBytes) }
        struct TargetProbe: Decodable {
            struct Snapshot: Decodable {
                var path: String
                var text: String
            }
            var target: Snapshot
        }
        if let probe = try? JSONDecoder().decode(TargetProbe.self, from: runBytes) {
            expected[AdaptationPredicate.descriptorSubjectName(path: probe.target.path)] = Digest.sha256Hex(
                probe.target.text
            )
        }
        return expected
    }
}
