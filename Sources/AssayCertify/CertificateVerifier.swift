import Foundation

/// The whole check of a certificate in the one safe order: envelope and
/// signature first (`EnvelopeVerifier`), then the statement it authenticates
/// (`StatementVerifier`). Callers use this rather than chaining the two by hand.
public enum CertificateVerifier {
    @discardableResult
    public static func verify(
        envelope: DSSEEnvelope,
        trustedKey: TrustedPublicKey,
        expectedPredicateType: String,
        at now: Date = Date(),
        expectedSubjects: [String: String]? = nil
    ) throws(VerificationError) -> InTotoStatement<JSONValue> {
        let payload = try EnvelopeVerifier.verify(
            envelope: envelope,
            trustedKey: trustedKey,
            expectedPayloadType: InToto.payloadType
        )
        return try StatementVerifier.check(
            payload: payload,
            expectedPredicateType: expectedPredicateType,
            at: now,
            expectedSubjects: expectedSubjects
        )
    }
}
