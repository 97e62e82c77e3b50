import Foundation

/// The two fixed DER encodings of Ed25519 keys (RFC 8410), handled by prefix.
///
/// Every unencrypted Ed25519 key has the same ASN.1 structure up to its 32 key
/// bytes, so a constant prefix plus an exact length check is a complete and
/// strict parser; no ASN.1 library is needed.
enum Ed25519DER {
    /// The algorithm identifier id-Ed25519 (OID 1.3.101.112), as DER.
    static let algorithmOID: [UInt8] = [0x06, 0x03, 0x2b, 0x65, 0x70]

    /// PKCS#8 PrivateKeyInfo v1: SEQ { INTEGER 0, SEQ { OID }, OCTET STRING { OCTET STRING(32) } }.
    static let privateKeyPrefix: [UInt8] =
        [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05] + algorithmOID + [0x04, 0x22, 0x04, 0x20]

    /// SubjectPublicKeyInfo: SEQ { SEQ { OID }, BIT STRING(0 unused bits, 32 bytes) }.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05] + algorithmOID + [0x03, 0x21, 0x00]

    static let keyLength = 32

    static func wrapPrivate(seed: Data) -> Data { Data(privateKeyPrefix) + seed }
    static func wrapPublic(raw: Data) -> Data { Data(publicKeyPrefix) + raw }

    static func unwrapPrivate(_ der: Data) throws(KeyError) -> Data {
        try unwrap(der, prefix: privateKeyPrefix, kind: "PKCS#8 private key")
    }

    static func unwrapPublic(_ der: Data) throws(KeyError) -> Data {
        try unwrap(der, prefix: publicKeyPrefix, kind: "SubjectPublicKeyInfo public key")
    }

    private static func unwrap(_ der: Data, prefix: [UInt8], kind: String) throws(KeyError) -> Data {
        let bytes = [UInt8](der)
        guard containsOID(bytes) else {
            throw .malformedDER(kind: kind, reason: "algorithm is not Ed25519 (OID 1.3.101.112 not found)")
        }
        let expected = prefix.count + keyLength
        guard bytes.count == expected else {
            throw .malformedDER(kind: kind, reason: "DER is \(bytes.count) bytes, expected \(expected)")
        }
        if let offset = prefix.indices.first(where: { bytes[$0] != prefix[$0] }) {
            let found = String(bytes[offset], radix: 16)
            let wanted = String(prefix[offset], radix: 16)
            throw .malformedDER(kind: kind, reason: "byte \(offset) is 0x\(found), expected 0x\(wanted)")
        }
        return Data(bytes[prefix.count...])
    }

    private static func containsOID(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= algorithmOID.count else { return false }
        return (0...(bytes.count - algorithmOID.count)).contains { start in
            bytes[start..<(start + algorithmOID.count)].elementsEqual(algorithmOID)
        }
    }
}
