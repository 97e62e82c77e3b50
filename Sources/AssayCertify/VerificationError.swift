import Foundation

/// Why a certificate does not verify. Each case has its own process exit code
/// so that scripts can tell failures apart without parsing messages:
///
/// | code | case                    |
/// |------|-------------------------|
/// | 0    | verified (`successExitCode`) |
/// | 10   | malformedEnvelope       |
/// | 11   | payloadTypeMismatch     |
/// | 12   | badSignature            |
/// | 13   | wrongPredicateType      |
/// | 14   | notYetValid             |
/// | 15   | expired                 |
/// | 16   | subjectDigestMismatch   |
/// | 17   | malformedStatement      |
/// | 18   | notAPass                |
/// | 19   | runNotAttested          |
public enum VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with an envelope that cannot even be checked.
    public enum EnvelopeDefect: Sendable, Equatable {
        case invalidJSON(String)
        /// `field` names the JSON location, e.g. `payload` or `signatures[0].sig`.
        case invalidBase64(field: String)
    }

    case malformedEnvelope(EnvelopeDefect)
    case payloadTypeMismatch(expected: String, found: String)
    /// No signature in the envelope verifies with the trusted key.
    case badSignature(trustedKeyID: String, signatureCount: Int)
    case wrongPredicateType(expected: String, found: String)
    case notYetValid(notBefore: Date, now: Date)
    case expired(notAfter: Date, now: Date)
    /// `found` is nil when the statement has no subject of that name.
    case subjectDigestMismatch(name: String, expected: String, found: String?)
    case malformedStatement(String)
    /// A well-signed statement that does not certify anything: its result is not `pass`, or its
    /// level is not one its profile defines.
    case notAPass(String)
    /// `verify --run --station-pubkey`: the run's attestation or journal does not hold up.
    case runNotAttested(String)

    public static let successExitCode: Int32 = 0

    public var exitCode: Int32 {
        switch self {
        case .malformedEnvelope: 10
        case .payloadTypeMismatch: 11
        case .badSignature: 12
        case .wrongPredicateType: 13
        case .notYetValid: 14
        case .expired: 15
        case .subjectDigestMismatch: 16
        case .malformedStatement: 17
        case .notAPass: 18
        case .runNotAttested: 19
        }
    }

    public var description: String {
        switch self {
        case .malformedEnvelope(.invalidJSON(let reason)):
            return "malformed envelope: not a DSSE JSON envelope (\(reason))"
        case .malformedEnvelope(.invalidBase64(let field)):
            return "malformed envelope: \(field) is not valid base64"
        case .payloadTypeMismatch(let expected, let found):
            return "payload type is '\(found)', expected '\(expected)'"
        case .badSignature(let keyID, 0):
            return "bad signature: the envelope carries no signatures (trusted key \(keyID))"
        case .badSignature(let keyID, let count):
            return "bad signature: none of the envelope's \(count) signature(s) verifies with the trusted key \(keyID)"
        case .wrongPredicateType(let expected, let found):
            return "predicate type is '\(found)', expected '\(expected)'"
        case .notYetValid(let notBefore, let now):
            return
                "certificate not yet valid: valid from \(RFC3339.string(from: notBefore)), now \(RFC3339.string(from: now))"
        case .expired(let notAfter, let now):
            return
                "certificate expired: valid until \(RFC3339.string(from: notAfter)), now \(RFC3339.string(from: now))"
        case .subjectDigestMismatch(let name, let expected, nil):
            return "subject '\(name)' (sha256 \(expected)) is not in the certificate"
        case .subjectDigestMismatch(let name, let expected, let found?):
            return "subject '\(name)' has sha256 \(found) in the certificate, expected \(expected)"
        case .malformedStatement(let reason):
            return "malformed statement: \(reason)"
        case .notAPass(let reason):
            return "not a passing certificate: \(reason)"
        case .runNotAttested(let reason):
            return "the run does not hold up against its attestation: \(reason)"
        }
    }
}
