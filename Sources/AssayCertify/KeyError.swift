import Foundation

/// Why a key could not be read, written or used.
public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `-----BEGIN <label>-----` / `-----END <label>-----` block, or text outside it.
    case pemMissingArmor(expectedLabel: String)
    /// A PEM block of another kind, e.g. a public key where a private key belongs.
    case pemWrongLabel(expected: String, found: String)
    /// The PEM body is not valid standard base64.
    case pemInvalidBase64
    /// The DER inside the PEM is not the one fixed Ed25519 encoding we accept.
    case malformedDER(kind: String, reason: String)
    /// A raw key of the wrong size or that the Ed25519 implementation refused.
    case invalidKeyBytes(String)
    /// Key generation would overwrite this file and was not asked to.
    case fileExists(path: String)
    /// Reading or writing a key file failed.
    case io(path: String, reason: String)
    /// The Ed25519 implementation failed to sign.
    case signingFailed(String)
    /// Any of the above while loading the file at `path`.
    indirect case inFile(path: String, KeyError)

    public var description: String {
        switch self {
        case .pemMissingArmor(let label):
            return "not a PEM file: expected a single '-----BEGIN \(label)-----' … '-----END \(label)-----' block"
        case .pemWrongLabel(let expected, let found):
            return "PEM block is '\(found)', expected '\(expected)'"
        case .pemInvalidBase64:
            return "PEM body is not valid base64"
        case .malformedDER(let kind, let reason):
            return "not an unencrypted Ed25519 \(kind): \(reason)"
        case .invalidKeyBytes(let reason):
            return "invalid Ed25519 key: \(reason)"
        case .fileExists(let path):
            return "\(path) already exists; refusing to overwrite it"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .signingFailed(let reason):
            return "signing failed: \(reason)"
        case .inFile(let path, let error):
            return "\(path): \(error)"
        }
    }
}
