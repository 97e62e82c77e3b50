import Crypto
import Foundation

/// An Ed25519 private key that issues certificates.
///
/// On disk: PEM `PRIVATE KEY`, unencrypted PKCS#8 v1 (RFC 8410) — the form
/// `openssl genpkey -algorithm ed25519` writes and `openssl pkey` and Python
/// `cryptography` read.
public struct SigningKey: Sendable {
    static let pemLabel = "PRIVATE KEY"

    /// The 32-byte RFC 8032 seed; secret. Held instead of swift-crypto's key
    /// type because that type is not Sendable; rebuilding it per signature is cheap.
    public let seed: Data
    public let publicKey: TrustedPublicKey

    /// A fresh random key.
    public init() {
        let key = Curve25519.Signing.PrivateKey()
        seed = key.rawRepresentation
        publicKey = TrustedPublicKey(key.publicKey)
    }

    /// The key whose seed is `seed`.
    public init(seed: Data) throws(KeyError) {
        guard seed.count == Ed25519DER.keyLength else {
            throw .invalidKeyBytes("seed is \(seed.count) bytes, expected \(Ed25519DER.keyLength)")
        }
        let key = try Self.privateKey(seed)
        self.seed = seed
        publicKey = TrustedPublicKey(key.publicKey)
    }

    public init(pem: String) throws(KeyError) {
        try self.init(seed: Ed25519DER.unwrapPrivate(PEM.decode(pem, label: Self.pemLabel)))
    }

    public init(contentsOf url: URL) throws(KeyError) {
        self = try PEM.load(url) { (text) throws(KeyError) in try SigningKey(pem: text) }
    }

    public var keyID: String { publicKey.keyID }

    public var pemRepresentation: String {
        PEM.encode(label: Self.pemLabel, der: Ed25519DER.wrapPrivate(seed: seed))
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func signature(for message: Data) throws(KeyError) -> Data {
        do {
            return try Self.privateKey(seed).signature(for: message)
        } catch {
            throw .signingFailed("\(error)")
        }
    }

    private static func privateKey(_ seed: Data) throws(KeyError) -> Curve25519.Signing.PrivateKey {
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw .invalidKeyBytes("\(error)")
        }
    }
}
