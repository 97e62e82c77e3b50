import AssayCertify
import Foundation
import Testing

/// Test vectors for the strict reading of signed JSON: what two JSON readers could read
/// differently is refused (malformed envelope 10, malformed statement 17); URL-safe base64,
/// which DSSE allows, is read.
struct StrictParsingTests {
    let trusted = Fixtures.key.publicKey

    /// A correctly signed envelope as text, with `payload` and `sig` fields spliced in by hand.
    func envelopeText(payload: String, sig: String, extra: String = "") -> String {
        #"{"payload":"\#(payload)","payloadType":"application/vnd.in-toto+json","signatures":[{"keyid":"k","sig":"\#(sig)"}]\#(extra)}"#
    }

    var signed: DSSEEnvelope { Fixtures.envelope(Fixtures.payload()) }

    func envelopeCode(_ bytes: Data) -> Int32? {
        verificationError { _ = try EnvelopeVerifier.verify(envelopeJSON: bytes, trustedKey: trusted) }?.exitCode
    }

    @Test func theSignedEnvelopeVerifiesAsText() {
        #expect(envelopeCode(Data(envelopeText(payload: signed.payload, sig: signed.signatures[0].sig).utf8)) == nil)
    }

    @Test(arguments: [
        // A second payload that jq and Python would read instead of the signed first one.
        ("duplicate payload", #","payload":"eyJmb3JnZWQiOnRydWV9""#, "duplicate key 'payload'"),
        // The same key spelled with an escape is the same key.
        ("escaped duplicate", #","pay\u006coad":"eyJmb3JnZWQiOnRydWV9""#, "duplicate key 'payload'"),
        ("duplicate payloadType", #","payloadType":"text/plain""#, "duplicate key 'payloadType'"),
    ])
    func duplicateKeysAreMalformed(_ name: String, extra: String, fragment: String) {
        let text = envelopeText(payload: signed.payload, sig: signed.signatures[0].sig, extra: extra)
        let error = verificationError {
            _ = try EnvelopeVerifier.verify(envelopeJSON: Data(text.utf8), trustedKey: trusted)
        }
        #expect(error?.exitCode == 10, "\(name)")
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func trailingDataAndInvalidUTF8AreMalformed() {
        let text = envelopeText(payload: signed.payload, sig: signed.signatures[0].sig)
        for trailing in ["{}", "x", "\n{\"payload\":\"\"}", "]"] {
            #expect(envelopeCode(Data((text + trailing).utf8)) == 10, "trailing \(trailing)")
        }
        #expect(envelopeCode(Data((text + " \n\t").utf8)) == nil, "whitespace after the value is fine")
        var invalid = Data(text.utf8)
        invalid.insert(contentsOf: [0xC3, 0x28], at: invalid.count - 1)  // an invalid two-byte sequence
        #expect(envelopeCode(invalid) == 10)
        let overlong = Data(
            envelopeText(payload: signed.payload, sig: signed.signatures[0].sig, extra: ",\"x\":\"\u{0}\"").utf8
        )
        #expect(envelopeCode(overlong) == 10, "a raw control character in a string")
    }

    @Test func urlSafeBase64IsAccepted() throws {
        // A payload whose standard base64 has '+' and '/', so the URL-safe form differs.
        let payload = Data([0xFB, 0xEF, 0xFF, 0x3E, 0x3F]) + Fixtures.payload()
        let envelope = Fixtures.envelope(payload)
        let urlSafe = { (text: String) in
            text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        #expect(envelope.payload.contains("+") || envelope.payload.contains("/"))
        let text = envelopeText(payload: urlSafe(envelope.payload), sig: urlSafe(envelope.signatures[0].sig))
        #expect(try EnvelopeVerifier.verify(envelopeJSON: Data(text.utf8), trustedKey: trusted) == payload)
        // Padding stays required in either alphabet, as Python's decoders require it.
        let unpadded = envelopeText(
            payload: urlSafe(envelope.payload),
            sig: urlSafe(envelope.signatures[0].sig).replacingOccurrences(of: "=", with: "")
        )
        #expect(envelopeCode(Data(unpadded.utf8)) == 10)
        // Both alphabets in one field is not base64 in either.
        let mixed = envelopeText(payload: "-+" + envelope.payload.dropFirst(2), sig: envelope.signatures[0].sig)
        #expect(envelopeCode(Data(mixed.utf8)) == 10)
    }

    @Test(arguments: [
        (
            #"{"_type":"https://in-toto.io/Statement/v1","_type":"x","subject":[],"predicateType":"p","predicate":{}}"#,
            "duplicate key '_type'"
        ),
        (
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{"a":1,"a":2}}"#,
            "duplicate key 'a'"
        ),
        (
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{}} {}"#,
            "trailing data"
        ),
        (
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{"n":01}}"#,
            "unexpected character"
        ),
    ])
    func signedStatementsMustBeStrictJSON(_ statement: String, fragment: String) {
        let envelope = Fixtures.envelope(Data(statement.utf8))
        let error = verificationError {
            _ = try CertificateVerifier.verify(
                envelope: envelope,
                trustedKey: trusted,
                expectedPredicateType: "p",
                at: Fixtures.inside
            )
        }
        #expect(error?.exitCode == 17)
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func aStatementThatIsNotUTF8IsMalformed() {
        var payload = Data(
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{"t":""}}"#.utf8
        )
        payload.insert(0xFF, at: payload.count - 3)
        let error = verificationError {
            _ = try CertificateVerifier.verify(
                envelope: Fixtures.envelope(payload),
                trustedKey: trusted,
                expectedPredicateType: "p",
                at: Fixtures.inside
            )
        }
        #expect(error == .malformedStatement("not an in-toto statement (not strict JSON: not valid UTF-8)"))
    }
}
