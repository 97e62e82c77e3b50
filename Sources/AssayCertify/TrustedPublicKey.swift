import AssayCore
import Crypto
import Foundation

/// An Ed25519 public key the verifier trusts: the only thing that makes a
/// signature count (an envelope's keyid is an unauthenticated hint).
///
/// On disk: PEM `PUBLIC KEY`, SubjectPublicKeyInfo (RFC 8410).
public struct TrustedPublicKey: Sendable, Equatable {
    static let pemLabel = "PUBLIC KEY"

    /// The 32-byte RFC 8032 encoding. Held instead of swift-crypto's key type
    /// because that type is not Sendable; it was validated by init.
    public let rawRepresentation: Data

    init(_ key: Curve25519.Signing.PublicKey) {
        rawRepresentation = key.rawRepresentation
    }

    public init(rawRepresentation: Data) throws(KeyError) {
        guard rawRepresentation.count == Ed25519DER.keyLength else {
            throw .invalidKeyBytes("public key is \(rawRepresentation.count) bytes, expected \(Ed25519DER.keyLength)")
        }
        do {
            self.init(try Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation))
        } catch {
            throw .invalidKeyBytes("\(error)")
        }
    }

    public init(pem: String) throws(KeyError) {
        try self.init(rawRepresentation: Ed25519DER.unwrapPublic(PEM.decode(pem, label: Self.pemLabel)))
    }

    public init(contentsOf url: URL) throws(KeyError) {
        self = try PEM.load(url) { (text) throws(KeyError) in try TrustedPublicKey(pem: text) }
    }

    /// Lowercase hex SHA-256 of the 32 raw public-key bytes.
    public var keyID: String { Hex.encode(SHA256.hash(data: rawRepresentation)) }

    public var pemRepresentation: String {
        PEM.encode(label: Self.pemLabel, der: Ed25519DER.wrapPublic(raw: rawRepresentation))
    }

    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
