import Foundation

/// Wraps a payload in a DSSE envelope signed over `PAE(payloadType, payload)`.
public enum EnvelopeSigner {
    public static func sign(
        statementPayload: Data,
        payloadType: String = InToto.payloadType,
        key: SigningKey
    ) throws(KeyError) -> DSSEEnvelope {
        let signature = try key.signature(for: PAE.encode(payloadType: payloadType, payload: statementPayload))
        return DSSEEnvelope(
            payload: statementPayload.base64EncodedString(),
            payloadType: payloadType,
            signatures: [.init(keyid: key.keyID, sig: signature.base64EncodedString())]
        )
    }

    /// Signs `statement` serialized with `SortedKeysJSON` as an in-toto payload.
    public static func sign<Predicate>(statement: InTotoStatement<Predicate>, key: SigningKey) throws -> DSSEEnvelope {
        try sign(statementPayload: statement.canonicalPayload(), payloadType: InToto.payloadType, key: key)
    }
}
