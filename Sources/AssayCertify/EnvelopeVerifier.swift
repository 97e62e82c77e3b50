import Foundation

/// Checks a DSSE envelope against one trusted key and returns the authenticated payload.
///
/// Trust comes only from the signature verifying with `trustedKey`. Every
/// signature is tried against it whatever its `keyid`: the keyid is not covered
/// by any signature, so matching it proves nothing and a mismatching one
/// (another tool's keyid scheme, or none) does not make a valid signature
/// invalid. Steps follow the DSSE protocol: signature first, then payloadType.
public enum EnvelopeVerifier {
    public static func verify(
        envelope: DSSEEnvelope,
        trustedKey: TrustedPublicKey,
        expectedPayloadType: String = InToto.payloadType
    ) throws(VerificationError) -> Data {
        let payload = try envelope.decodedPayload()
        // Decode all signatures first: a damaged envelope is reported as such,
        // even when another signature in it happens to verify.
        var signatures = [Data]()
        for (index, signature) in envelope.signatures.enumerated() {
            signatures.append(try DSSEEnvelope.decodeBase64(signature.sig, field: "signatures[\(index)].sig"))
        }
        let message = PAE.encode(payloadType: envelope.payloadType, payload: payload)
        guard signatures.contains(where: { trustedKey.isValidSignature($0, for: message) }) else {
            throw .badSignature(trustedKeyID: trustedKey.keyID, signatureCount: signatures.count)
        }
        guard envelope.payloadType == expectedPayloadType else {
            throw .payloadTypeMismatch(expected: expectedPayloadType, found: envelope.payloadType)
        }
        return payload
    }

    /// Parses envelope JSON bytes, then verifies as above.
    public static func verify(
        envelopeJSON: Data,
        trustedKey: TrustedPublicKey,
        expectedPayloadType: String = InToto.payloadType
    ) throws(VerificationError) -> Data {
        try verify(
            envelope: DSSEEnvelope(jsonData: envelopeJSON),
            trustedKey: trustedKey,
            expectedPayloadType: expectedPayloadType
        )
    }
}
