import AssayCertify
import Foundation
import Testing

struct StatementVerifierTests {
    let digest = InTotoSubject(name: "run.json", contents: Fixtures.runRecord).sha256!

    func check(
        _ payload: Data = Fixtures.payload(),
        at now: Date = Fixtures.inside,
        subjects: [String: String]? = nil
    ) -> VerificationError? {
        verificationError {
            try StatementVerifier.check(
                payload: payload,
                expectedPredicateType: Fixtures.predicateType,
                at: now,
                expectedSubjects: subjects
            )
        }
    }

    @Test func validStatementPassesAndIsReturned() throws {
        let statement = try StatementVerifier.check(
            payload: Fixtures.payload(),
            expectedPredicateType: Fixtures.predicateType,
            at: Fixtures.inside,
            expectedSubjects: ["run.json": digest.uppercased()]
        )
        #expect(statement == Fixtures.statement())
        #expect(statement.predicate["counts"]?["passed"] == .number(42))
    }

    @Test func canonicalPayloadIsSortedAndKeepsSlashes() throws {
        let text = String(decoding: Fixtures.payload(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"_type":"https://in-toto.io/Statement/v1","predicate":{"counts":"#))
        #expect(text.contains(#""predicateType":"https://assay.example/AdaptationCertificate/v0""#))
        #expect(text.contains(#""subject":[{"digest":{"sha256":"\#(digest)"},"name":"run.json"}]"#))
    }

    @Test func subjectDigestIsSHA256OfTheContents() {
        // sha256("abc") from FIPS 180-2.
        #expect(
            InTotoSubject(name: "x", contents: Data("abc".utf8)).sha256
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test func wrongPredicateType() {
        let error = verificationError {
            try StatementVerifier.check(
                payload: Fixtures.payload(),
                expectedPredicateType: "https://other/v1",
                at: Fixtures.inside
            )
        }
        #expect(error == .wrongPredicateType(expected: "https://other/v1", found: Fixtures.predicateType))
    }

    @Test func windowBoundsAreInclusive() {
        #expect(check(at: RFC3339.date(from: "2025-01-01T00:00:00Z")!) == nil)
        #expect(check(at: RFC3339.date(from: "2026-01-01T00:00:00Z")!) == nil)
    }

    @Test func notYetValid() {
        let now = RFC3339.date(from: "2024-12-31T23:59:59Z")!
        #expect(check(at: now) == .notYetValid(notBefore: RFC3339.date(from: "2025-01-01T00:00:00Z")!, now: now))
    }

    @Test func expired() {
        let now = RFC3339.date(from: "2026-01-01T00:00:01Z")!
        let error = check(at: now)
        #expect(error == .expired(notAfter: RFC3339.date(from: "2026-01-01T00:00:00Z")!, now: now))
        #expect(error?.description == "certificate expired: valid until 2026-01-01T00:00:00Z, now 2026-01-01T00:00:01Z")
    }

    @Test func timestampsWithOffsetsAndFractions() {
        let payload = Fixtures.payload(
            Fixtures.statement(notBefore: "2025-01-01T02:00:00+02:00", notAfter: "2025-06-01T00:00:00.500Z")
        )
        #expect(check(payload, at: RFC3339.date(from: "2025-01-01T00:00:00Z")!) == nil)
        #expect(check(payload, at: RFC3339.date(from: "2025-06-01T00:00:00.400Z")!) == nil)
        #expect(check(payload, at: RFC3339.date(from: "2025-06-01T00:00:00.600Z")!)?.exitCode == 15)
    }

    @Test func subjectDigestMismatch() {
        let wrong = String(repeating: "0", count: 64)
        #expect(
            check(subjects: ["run.json": wrong])
                == .subjectDigestMismatch(name: "run.json", expected: wrong, found: digest)
        )
        #expect(
            check(subjects: ["descriptor.yaml": wrong])
                == .subjectDigestMismatch(name: "descriptor.yaml", expected: wrong, found: nil)
        )
    }

    @Test(arguments: [
        ("not json", "not an in-toto statement"),
        (#"{"_type":"https://in-toto.io/Statement/v0.1","subject":[],"predicateType":"p","predicate":{}}"#, "_type"),
        (#"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"p","predicate":{}}"#, "no subject"),
        (
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"xyz"}}],"predicateType":"p","predicate":{}}"#,
            "sha256"
        ),
        (
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha512":"00"}}],"predicateType":"p","predicate":{}}"#,
            "sha256"
        ),
    ])
    func malformedStatements(text: String, fragment: String) {
        let error = verificationError {
            try StatementVerifier.check(payload: Data(text.utf8), expectedPredicateType: "p", at: Fixtures.inside)
        }
        guard case .malformedStatement(let reason)? = error else {
            Issue.record("expected malformedStatement, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(fragment), "\(reason)")
    }

    @Test(arguments: [
        (nil as String?, "2026-01-01T00:00:00Z", "no 'notBefore'"),
        ("2025-01-01", "2026-01-01T00:00:00Z", "'notBefore' is not an RFC 3339"),
        ("2025-01-01T00:00:00", "2026-01-01T00:00:00Z", "'notBefore' is not an RFC 3339"),
        ("2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "notBefore is after notAfter"),
    ])
    func malformedValidity(notBefore: String?, notAfter: String, fragment: String) {
        var predicate: [String: JSONValue] = ["notAfter": .string(notAfter)]
        predicate["notBefore"] = notBefore.map(JSONValue.string)
        let statement = InTotoStatement(
            subject: [InTotoSubject(name: "run.json", contents: Fixtures.runRecord)],
            predicateType: Fixtures.predicateType,
            predicate: JSONValue.object(predicate)
        )
        let error = check(Fixtures.payload(statement))
        #expect(error?.exitCode == 17)
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func certificateVerifierChecksEnvelopeThenStatement() throws {
        let envelope = Fixtures.envelope()
        let statement = try CertificateVerifier.verify(
            envelope: envelope,
            trustedKey: Fixtures.key.publicKey,
            expectedPredicateType: Fixtures.predicateType,
            at: Fixtures.inside,
            expectedSubjects: ["run.json": digest]
        )
        #expect(statement.subject.first?.name == "run.json")
        let forged = Fixtures.envelope(key: SigningKey())
        let error = verificationError {
            try CertificateVerifier.verify(
                envelope: forged,
                trustedKey: Fixtures.key.publicKey,
                expectedPredicateType: Fixtures.predicateType,
                at: Fixtures.inside
            )
        }
        #expect(error?.exitCode == 12)
    }

    @Test func typedPredicateEncodesLikeTheGenericOne() throws {
        struct Window: Codable, Sendable {
            var notBefore: String
            var notAfter: String
        }
        let typed = InTotoStatement(
            subject: [InTotoSubject(name: "run.json", contents: Fixtures.runRecord)],
            predicateType: Fixtures.predicateType,
            predicate: Window(notBefore: "2025-01-01T00:00:00Z", notAfter: "2026-01-01T00:00:00Z")
        )
        let envelope = try EnvelopeSigner.sign(statement: typed, key: Fixtures.key)
        let statement = try CertificateVerifier.verify(
            envelope: envelope,
            trustedKey: Fixtures.key.publicKey,
            expectedPredicateType: Fixtures.predicateType,
            at: Fixtures.inside
        )
        #expect(
            statement.predicate
                == .object(["notBefore": .string("2025-01-01T00:00:00Z"), "notAfter": .string("2026-01-01T00:00:00Z")])
        )
    }
}
