import AssayCertify
import Foundation
import Testing

struct VerificationErrorTests {
    static let all: [VerificationError] = [
        .malformedEnvelope(.invalidJSON("x")),
        .payloadTypeMismatch(expected: "a", found: "b"),
        .badSignature(trustedKeyID: "k", signatureCount: 1),
        .wrongPredicateType(expected: "a", found: "b"),
        .notYetValid(notBefore: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: -1)),
        .expired(notAfter: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: 1)),
        .subjectDigestMismatch(name: "n", expected: "a", found: "b"),
        .malformedStatement("x"),
    ]

    @Test func exitCodesAreDocumentedAndDistinct() {
        #expect(Self.all.map(\.exitCode) == Array(10...17))
        #expect(VerificationError.successExitCode == 0)
    }

    @Test func messagesAreDistinctAndReadable() {
        let messages = Self.all.map(\.description)
        #expect(Set(messages).count == messages.count)
        #expect(
            VerificationError.malformedEnvelope(.invalidBase64(field: "payload")).description
                == "malformed envelope: payload is not valid base64"
        )
        #expect(
            Self.all[4].description
                == "certificate not yet valid: valid from 1970-01-01T00:00:00Z, now 1969-12-31T23:59:59Z"
        )
    }
}
