import AssayCore
import Foundation

/// Verifies an adaptation certificate file the way `assay verify` does: signature with the
/// trusted key, payload and predicate types, validity window, the predicate's schema, and,
/// given the run, the run record's and descriptor's digests.
public enum CertificateCheck {
    public struct Verified: Sendable {
        public var predicate: AdaptationPredicate
        public var subjects: [InTotoSubject]

        /// `valid: local-cpu pass compatible, valid until 2026-11-24T00:00:00Z`.
        public var summary: String {
            "valid: \(predicate.target.id) \(predicate.result) \(predicate.level), valid until \(predicate.notAfter)"
        }
    }

    /// Reads the files, then checks. Unreadable files are `InputError`/`KeyError` (bad input);
    /// a certificate that does not verify is a `VerificationError` with its own exit code.
    public static func verify(certificate: URL, publicKey: URL, run: RunLocation?, at now: Date = Date()) throws -> Verified {
        guard let envelopeData = FileManager.default.contents(atPath: certificate.path) else {
            throw InputError(file: certificate.path, message: "cannot read the certificate")
        }
        let key = try TrustedPublicKey(contentsOf: publicKey)
        let expected = try run.map { try expectedSubjects(runBytes: $0.bytes()) }
        return try verify(envelopeJSON: envelopeData, trustedKey: key, expectedSubjects: expected, at: now)
    }

    public static func verify(envelopeJSON: Data, trustedKey: TrustedPublicKey, expectedSubjects: [String: String]?,
                              at now: Date = Date()) throws(VerificationError) -> Verified {
        let envelope = try DSSEEnvelope(jsonData: envelopeJSON)
        let statement = try CertificateVerifier.verify(envelope: envelope, trustedKey: trustedKey,
                                                       expectedPredicateType: AdaptationPredicate.predicateType,
                                                       at: now, expectedSubjects: expectedSubjects)
        // The signature is good, so the payload is the issuer's; read it with our schema.
        let predicate: AdaptationPredicate
        do {
            predicate = try JSONDecoder().decode(AdaptationPredicate.self, from: CanonicalJSON.encode(statement.predicate))
        } catch {
            throw .malformedStatement("not an adaptation predicate (\(DecodingProblem.describe(error)))")
        }
        return Verified(predicate: predicate, subjects: statement.subject)
    }

    /// run.json by the digest of its bytes; the descriptor by the digest of the text the
    /// record holds. A record too damaged to read still yields the run.json digest, which
    /// is what then fails to match.
    public static func expectedSubjects(runBytes: Data) -> [String: String] {
        var expected = [AdaptationPredicate.runSubjectName: Digest.sha256Hex(runBytes)]
        struct TargetProbe: Decodable {
            struct Snapshot: Decodable { var path: String; var text: String }
            var target: Snapshot
        }
        if let probe = try? JSONDecoder().decode(TargetProbe.self, from: runBytes) {
            expected[AdaptationPredicate.descriptorSubjectName(path: probe.target.path)] = Digest.sha256Hex(probe.target.text)
        }
        return expected
    }
}
