import AssayCertify
import Foundation
import Testing

struct EnvelopeVerifierTests {
    let trusted = Fixtures.key.publicKey

    @Test func signThenVerifyReturnsThePayload() throws {
        let payload = Fixtures.payload()
        let envelope = Fixtures.envelope(payload)
        #expect(envelope.payloadType == "application/vnd.in-toto+json")
        #expect(envelope.signatures.map(\.keyid) == [Fixtures.keyID])
        #expect(try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) == payload)
    }

    @Test func envelopeJSONRoundTripsAndUsesPaddedStandardBase64() throws {
        let envelope = Fixtures.envelope(Data("ab".utf8))
        let json = try envelope.jsonData()
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["payload"] as? String == "YWI=")
        #expect(
            try EnvelopeVerifier.verify(
                envelopeJSON: json,
                trustedKey: trusted,
                expectedPayloadType: InToto.payloadType
            ) == Data("ab".utf8)
        )
    }

    @Test func signatureMatchesIndependentlyComputedVector() throws {
        // Ed25519 is deterministic: this signature of the DSSE test-vector PAE came from Python `cryptography`.
        let envelope = try EnvelopeSigner.sign(
            statementPayload: Data("hello world".utf8),
            payloadType: "http://example.com/HelloWorld",
            key: Fixtures.key
        )
        let expected = Fixtures.hexData(
            "e031d7dd99f8aa904abc48fb99a13c3bdbbd6e35c49cf2cb9f25d5509d8f5c947c0d22dc2f7403a45bdf24e8f7a41fd23c7b25e898386e8c6c31be8abee60007"
        )
        #expect(envelope.signatures.first?.sig == expected.base64EncodedString())
    }

    @Test func everySingleByteChangeOfThePayloadFails() {
        let payload = Fixtures.payload()
        let envelope = Fixtures.envelope(payload)
        let badSignature = VerificationError.badSignature(trustedKeyID: trusted.keyID, signatureCount: 1)
        for index in payload.indices {
            for mask: UInt8 in [0x01, 0x80, 0xff] {
                var tampered = payload
                tampered[index] ^= mask
                var forged = envelope
                forged.payload = tampered.base64EncodedString()
                let error = verificationError { _ = try EnvelopeVerifier.verify(envelope: forged, trustedKey: trusted) }
                #expect(error == badSignature, "byte \(index) ^ \(mask) was accepted")
            }
        }
    }

    @Test func truncatedOrExtendedPayloadFails() {
        let payload = Fixtures.payload()
        let envelope = Fixtures.envelope(payload)
        for changed in [payload.dropLast(), payload + Data(" ".utf8), Data()] {
            var forged = envelope
            forged.payload = Data(changed).base64EncodedString()
            #expect(
                verificationError { _ = try EnvelopeVerifier.verify(envelope: forged, trustedKey: trusted) }?.exitCode
                    == 12
            )
        }
    }

    @Test func signatureByAnotherKeyFailsEvenWithTheTrustedKeyID() {
        var envelope = Fixtures.envelope(key: SigningKey())
        envelope.signatures[0].keyid = trusted.keyID
        let error = verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }
        #expect(error == .badSignature(trustedKeyID: trusted.keyID, signatureCount: 1))
    }

    @Test func keyIDIsOnlyAHint() throws {
        // A valid signature under a wrong or missing keyid is accepted: the keyid is not signed.
        let payload = Fixtures.payload()
        var envelope = Fixtures.envelope(payload)
        let intruder = Fixtures.envelope(payload, key: SigningKey()).signatures[0]
        envelope.signatures[0].keyid = "not-the-key"
        envelope.signatures.insert(intruder, at: 0)
        #expect(try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) == payload)
        envelope.signatures[1].keyid = nil
        #expect(try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) == payload)
    }

    @Test func envelopeWithoutSignaturesFails() {
        var envelope = Fixtures.envelope()
        envelope.signatures = []
        let error = verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }
        #expect(error == .badSignature(trustedKeyID: trusted.keyID, signatureCount: 0))
        #expect(error?.description.contains("no signatures") == true)
    }

    @Test func corruptedSignatureBytesFail() throws {
        var envelope = Fixtures.envelope()
        var signature = try #require(Data(base64Encoded: envelope.signatures[0].sig))
        signature[10] ^= 0x01
        envelope.signatures[0].sig = signature.base64EncodedString()
        #expect(
            verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }?.exitCode
                == 12
        )
        envelope.signatures[0].sig = Data(signature.prefix(63)).base64EncodedString()
        #expect(
            verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }?.exitCode
                == 12
        )
    }

    @Test func payloadTypeSignedUnderAnotherTypeIsAMismatch() {
        let envelope = try! EnvelopeSigner.sign(
            statementPayload: Fixtures.payload(),
            payloadType: "application/json",
            key: Fixtures.key
        )
        let error = verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }
        #expect(error == .payloadTypeMismatch(expected: InToto.payloadType, found: "application/json"))
    }

    @Test func payloadTypeEditedAfterSigningBreaksTheSignature() {
        // PAE covers the type, so relabelling a signed envelope cannot pass.
        var envelope = Fixtures.envelope()
        envelope.payloadType = "application/json"
        let error = verificationError {
            _ = try EnvelopeVerifier.verify(
                envelope: envelope,
                trustedKey: trusted,
                expectedPayloadType: "application/json"
            )
        }
        #expect(error?.exitCode == 12)
    }

    @Test func garbageBase64IsMalformedNotBadSignature() {
        var envelope = Fixtures.envelope()
        envelope.payload = "not base64!"
        #expect(
            verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }
                == .malformedEnvelope(.invalidBase64(field: "payload"))
        )

        envelope = Fixtures.envelope()
        envelope.signatures[0].sig = "abc"  // missing padding
        #expect(
            verificationError { _ = try EnvelopeVerifier.verify(envelope: envelope, trustedKey: trusted) }
                == .malformedEnvelope(.invalidBase64(field: "signatures[0].sig"))
        )
    }

    @Test func malformedJSONIsDistinctFromMalformedBase64() {
        for text in [
            "{", "[]", #"{"payload":"YWI=","payloadType":"x"}"#, #"{"payload":1,"payloadType":"x","signatures":[]}"#,
        ] {
            let error = verificationError {
                _ = try EnvelopeVerifier.verify(envelopeJSON: Data(text.utf8), trustedKey: trusted)
            }
            guard case .malformedEnvelope(.invalidJSON(let reason))? = error else {
                Issue.record("\(text): expected invalidJSON, got \(String(describing: error))")
                continue
            }
            #expect(!reason.isEmpty)
            #expect(error?.exitCode == 10)
        }
    }
}
