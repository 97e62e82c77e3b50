import AssayCertify
import AssayCore
import Foundation

/// A verified certificate as its registry row; the envelope is kept whole, so the site can
/// publish it for anyone to verify with `assay verify`.
struct CertificateRow {
    let values: [SQLValue]

    static let insertSQL = """
        INSERT INTO certificates (payload_sha256, target_id, run_id, run_sha256, profile_id, profile_version, profile_title, result,
          level, issuer, issuer_key_id, issued_at, not_before, not_after, envelope, source_path, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(verified: CertificateCheck.Verified, envelope: Data, issuerKeyID: String, sourcePath: String) {
        let predicate = verified.predicate
        let payload = (try? DSSEEnvelope(jsonData: envelope)).flatMap { Data(base64Encoded: $0.payload) } ?? envelope
        let runDigest =
            verified.subjects.first { $0.name == AdaptationPredicate.runSubjectName }?.digest["sha256"] ?? ""
        values = [
            .init(Digest.sha256Hex(payload)), .init(predicate.target.id), .init(predicate.run.id), .init(runDigest),
            .init(predicate.profile.id), .init(predicate.profile.version), .init(predicate.profile.title),
            .init(predicate.result),
            .init(predicate.level), .init(predicate.issuer), .init(issuerKeyID), .init(predicate.issuedAt),
            .init(predicate.notBefore), .init(predicate.notAfter), .init(String(decoding: envelope, as: UTF8.self)),
            .init(sourcePath), .init(Timestamp.now()),
        ]
    }

    /// The certificate's own `notBefore`, read before its signature is checked, only to pick
    /// the instant it is verified at.
    static func notBefore(_ envelope: Data) -> Date? {
        struct Probe: Decodable {
            struct Predicate: Decodable { var notBefore: String }
            var predicate: Predicate
        }
        guard let envelope = try? DSSEEnvelope(jsonData: envelope), let payload = Data(base64Encoded: envelope.payload),
            let probe = try? JSONDecoder().decode(Probe.self, from: payload)
        else { return nil }
        return RFC3339.date(from: probe.predicate.notBefore)
    }
}
