import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// certify → verify through `CertificateIssuer.certify` and `CertificateCheck.verify`,
/// the functions `assay certify` and `assay verify` call, on files in a temporary directory.
struct CertifyVerifyTests {
    struct Issued {
        var directory: URL
        var pair: KeyPairGenerator.Output
        var issued: CertificateIssuer.Issued
        var run: RunLocation { RunLocation(directory.path) }
        var publicKey: URL { pair.publicKeyURL }
    }

    static let inside = RunFixtures.now.addingTimeInterval(86_400)

    func issue(_ run: RunRecord = RunFixtures.run(), issuer: String = "Lab <A&B>") throws -> Issued {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        try RunFixtures.writeAttested(run, to: directory)
        let pair = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        let request = CertificateIssuer.Request(
            run: RunLocation(directory.path),
            profile: RunFixtures.profile,
            key: pair.key,
            issuer: issuer,
            at: RunFixtures.now,
            harnessVersion: "9.9.9",
            stations: RunFixtures.stations
        )
        guard case .issued(let issued) = try CertificateIssuer.certify(request) else {
            throw InputError(file: directory.path, message: "fixture run was refused")
        }
        return Issued(directory: directory, pair: pair, issued: issued)
    }

    func verify(
        _ cert: Issued,
        certificate: URL? = nil,
        publicKey: URL? = nil,
        at now: Date = inside
    ) throws -> CertificateCheck.Verified {
        try CertificateCheck.verify(
            certificate: certificate ?? cert.issued.envelopeURL,
            publicKey: publicKey ?? cert.publicKey,
            run: cert.run,
            at: now
        )
    }

    @Test func roundTrip() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        #expect(cert.issued.envelopeURL == cert.directory.appendingPathComponent("certificate.dsse.json"))
        #expect(cert.issued.htmlURL == cert.directory.appendingPathComponent("certificate.html"))
        let verified = try verify(cert)
        #expect(
            verified.summary
                == "valid: npu-x pass performance, valid until 2026-07-01T00:00:00Z (level not checked: profile npu-basic not given)"
        )
        let checked = try CertificateCheck.verify(
            certificate: cert.issued.envelopeURL,
            publicKey: cert.publicKey,
            run: cert.run,
            at: Self.inside,
            stations: RunFixtures.stations,
            profile: RunFixtures.profile
        )
        #expect(checked.summary == "valid: npu-x pass performance, valid until 2026-07-01T00:00:00Z")
        let predicate = verified.predicate
        #expect(predicate == cert.issued.predicate)
        #expect(predicate.profile.sha256 == Digest.sha256Hex(RunFixtures.profileText))
        #expect(predicate.target.descriptorSHA256 == Digest.sha256Hex(RunFixtures.descriptorText))
        #expect(
            predicate.counts == [
                "pass": 4, "observed": 0, "fail": 0, "error": 0, "crash": 0, "timeout": 0, "unsupported": 1,
                "waived": 1,
            ]
        )
        #expect(
            predicate.waivers.map { [$0.caseID, $0.category, $0.reference, $0.expires] }
                == [["conformance/gelu/shape1000/bf16", "known-bug", "BUG-7", "2027-01-01T00:00:00Z"]]
        )
        #expect(
            predicate.keyFigures.map(\.caseID) == [
                "performance/matmul/m4096.n4096.k4096/bf16", "performance/copy/shape16777216/f32",
            ]
        )
        #expect(predicate.keyFigures.map(\.value) == [61.5, 80])
        #expect(
            predicate.issuer == "Lab <A&B>" && predicate.issuedAt == "2026-06-01T00:00:00Z"
                && predicate.notBefore == predicate.issuedAt
        )
        #expect(predicate.harnessVersion == "0.1.0" && predicate.issuingHarnessVersion == "9.9.9")
        let runBytes = try Data(contentsOf: cert.run.runJSON)
        let attestation = try Data(contentsOf: cert.directory.appendingPathComponent("run.dsse.json"))
        #expect(
            verified.subjects == [
                InTotoSubject(name: "run.json", contents: runBytes),
                InTotoSubject(name: "descriptor:Targets/npu-x.yaml", contents: Data(RunFixtures.descriptorText.utf8)),
                InTotoSubject(name: "run.dsse.json", contents: attestation),
            ]
        )
        #expect(predicate.runAttestation?.sha256 == Digest.sha256Hex(attestation))
        #expect(predicate.runAttestation?.stationKeyID == RunFixtures.station.keyID)
    }

    @Test func payloadUsesTheVerifierKeysAndTheOnePredicateType() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let statement = try JSONDecoder().decode(
            InTotoStatement<JSONValue>.self,
            from: cert.issued.envelope.decodedPayload()
        )
        #expect(statement.predicateType == "https://assay.dev/attestations/adaptation-certificate/v1")
        #expect(statement.predicate[StatementVerifier.notBeforeKey]?.stringValue == "2026-06-01T00:00:00Z")
        #expect(statement.predicate[StatementVerifier.notAfterKey]?.stringValue == "2026-07-01T00:00:00Z")
        #expect(cert.issued.payloadSHA256 == Digest.sha256Hex(try cert.issued.envelope.decodedPayload()))
    }

    @Test func anAppliedWaiverCutsTheValidityShort() throws {
        let id = "conformance/gelu/shape1000/bf16"
        let cases = RunFixtures.goodCases.map {
            $0.id.description == id
                ? RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.knownBug, expires: "2026-06-15")) : $0
        }
        let cert = try issue(RunFixtures.run(cases))
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        // The waiver applies through 2026-06-15 (inclusive), so the certificate ends with that day.
        #expect(cert.issued.predicate.notAfter == "2026-06-15T23:59:59Z")
    }

    @Test func unmetProfileIsRefusedAndWritesNothing() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(status: .interrupted), to: directory)
        let request = CertificateIssuer.Request(
            run: RunLocation(directory.appendingPathComponent("run.json").path),
            profile: RunFixtures.profile,
            key: Fixtures.key,
            at: RunFixtures.now,
            harnessVersion: "9.9.9",
            stations: RunFixtures.stations
        )
        guard case .refused(let result) = try CertificateIssuer.certify(request) else {
            Issue.record("an interrupted run was certified")
            return
        }
        #expect(result.reasons.map(\.requirement) == ["run_status"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
                "journal.jsonl", "run.dsse.json", "run.json",
            ]
        )
    }

    @Test func changedPayloadBytesFailTheSignature() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let payload = try cert.issued.envelope.decodedPayload()
        let tamperedURL = cert.directory.appendingPathComponent("tampered.dsse.json")
        for position in [0, 1, payload.count / 3, payload.count / 2, payload.count - 2, payload.count - 1] {
            var bytes = payload
            bytes[position] ^= 0x01
            var envelope = cert.issued.envelope
            envelope.payload = bytes.base64EncodedString()
            try envelope.jsonData().write(to: tamperedURL)
            let error = verificationError { _ = try verify(cert, certificate: tamperedURL) }
            #expect(error == .badSignature(trustedKeyID: cert.pair.key.keyID, signatureCount: 1), "byte \(position)")
            #expect(error?.exitCode == 12)
        }
    }

    @Test func signatureByAnotherKey() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let other = try KeyPairGenerator.generate(prefix: cert.directory.appendingPathComponent("other").path)
        let error = verificationError { _ = try verify(cert, publicKey: other.publicKeyURL) }
        #expect(error == .badSignature(trustedKeyID: other.key.keyID, signatureCount: 1))
        #expect(error?.exitCode == 12)
    }

    @Test func expiredAndNotYetValid() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let notAfter = RFC3339.date(from: cert.issued.predicate.notAfter)!
        #expect(verificationError { _ = try verify(cert, at: notAfter) } == nil)
        let late = notAfter.addingTimeInterval(1)
        let expired = verificationError { _ = try verify(cert, at: late) }
        #expect(expired == .expired(notAfter: notAfter, now: late))
        #expect(expired?.exitCode == 15)
        let early = RunFixtures.now.addingTimeInterval(-1)
        #expect(verificationError { _ = try verify(cert, at: early) }?.exitCode == 14)
    }

    @Test func modifiedRunRecordDoesNotMatch() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let runJSON = cert.run.runJSON
        var run = try RunRecord.load(contentsOf: runJSON)
        run.cases[1].outcome = .fail
        try RunFixtures.write(run, to: cert.directory)
        let error = verificationError { _ = try verify(cert) }
        guard case .subjectDigestMismatch(let name, _, let found)? = error else {
            Issue.record("expected a subject digest mismatch, got \(String(describing: error))")
            return
        }
        #expect(name == "run.json")
        #expect(found == cert.issued.envelope.subjectDigest("run.json"))
        #expect(error?.exitCode == 16)
        // Without --run the certificate itself is still valid.
        #expect(
            try CertificateCheck.verify(
                certificate: cert.issued.envelopeURL,
                publicKey: cert.publicKey,
                run: nil,
                at: Self.inside
            )
            .predicate.level == "performance"
        )
    }

    @Test func modifiedDescriptorSnapshotIsNamed() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        var run = try RunRecord.load(contentsOf: cert.run.runJSON)
        run.target.text += "# edited\n"
        try RunFixtures.write(run, to: cert.directory)
        let error = verificationError { _ = try verify(cert) }
        #expect(
            error
                == .subjectDigestMismatch(
                    name: "descriptor:Targets/npu-x.yaml",
                    expected: Digest.sha256Hex(run.target.text),
                    found: Digest.sha256Hex(RunFixtures.descriptorText)
                )
        )
    }

    @Test func foreignPredicateIsMalformed() throws {
        // Correctly signed and typed, but not an adaptation predicate.
        let statement = InTotoStatement(
            subject: [InTotoSubject(name: "run.json", contents: Data())],
            predicateType: AdaptationPredicate.predicateType,
            predicate: JSONValue.object([
                "notBefore": .string("2026-01-01T00:00:00Z"), "notAfter": .string("2027-01-01T00:00:00Z"),
            ])
        )
        let envelope = try EnvelopeSigner.sign(statement: statement, key: Fixtures.key)
        let error = verificationError {
            _ = try CertificateCheck.verify(
                envelopeJSON: envelope.jsonData(),
                trustedKey: Fixtures.key.publicKey,
                expectedSubjects: nil,
                at: Self.inside
            )
        }
        #expect(error?.exitCode == 17)
    }

    /// A well-signed statement whose result is not a pass, or whose level the profile does not
    /// define, is refused with exit code 18.
    @Test func aStatementThatIsNotAPassIsRefused() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let runBytes = try Data(contentsOf: cert.run.runJSON)
        for (field, value, fragment) in [
            ("result", "fail", "result is 'fail'"),
            ("level", "platinum", "level 'platinum' is not one of profile npu-basic's levels"),
        ] {
            var statement = try JSONDecoder().decode(
                InTotoStatement<JSONValue>.self,
                from: cert.issued.envelope.decodedPayload()
            )
            guard case .object(var predicate) = statement.predicate else {
                Issue.record("predicate is not an object")
                return
            }
            predicate[field] = .string(value)
            statement.predicate = .object(predicate)
            let envelope = try EnvelopeSigner.sign(statement: statement, key: cert.pair.key)
            let error = verificationError {
                _ = try CertificateCheck.verify(
                    envelopeJSON: envelope.jsonData(),
                    trustedKey: cert.pair.key.publicKey,
                    expectedSubjects: CertificateCheck.expectedSubjects(runBytes: runBytes),
                    at: Self.inside,
                    profile: field == "level" ? RunFixtures.profile : nil
                )
            }
            #expect(error?.exitCode == 18, "\(field)")
            #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test func verifyRunWithStationKeysAuditsTheRun() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        // The journal is changed after certification: its attestation no longer matches (exit 19).
        let journal = cert.directory.appendingPathComponent("journal.jsonl")
        var lines = try Data(contentsOf: journal).split(separator: UInt8(ascii: "\n")).map { Data($0) }
        lines.swapAt(0, 1)
        try Data(lines.map { $0 + Data("\n".utf8) }.joined()).write(to: journal)
        let error = verificationError {
            _ = try CertificateCheck.verify(
                certificate: cert.issued.envelopeURL,
                publicKey: cert.publicKey,
                run: cert.run,
                at: Self.inside,
                stations: RunFixtures.stations
            )
        }
        #expect(error?.exitCode == 19)
        // A missing run attestation is a missing subject (exit 16).
        try FileManager.default.removeItem(at: cert.directory.appendingPathComponent("run.dsse.json"))
        #expect(verificationError { _ = try verify(cert) }?.exitCode == 16)
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        let cert = try issue()
        defer { try? FileManager.default.removeItem(at: cert.directory) }
        let html = try String(contentsOf: cert.issued.htmlURL, encoding: .utf8)
        #expect(html.contains("NPU X &lt;rev B&gt; &amp; &quot;friends&quot;"))
        #expect(html.contains("Lab &lt;A&amp;B&gt;"))
        #expect(!html.contains("<rev B>") && !html.contains("<A&B>"))
        for external in ["<script", "src=", "href=", "@import", "url("] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("size: A4"))
        for shown in [
            cert.pair.key.keyID, cert.issued.payloadSHA256, "performance", "2026-07-01T00:00:00Z", "BUG-7", "61.5%",
        ] {
            #expect(html.contains(shown), "\(shown)")
        }
    }
}

extension DSSEEnvelope {
    /// The sha256 the signed statement gives subject `name`.
    func subjectDigest(_ name: String) -> String? {
        let statement = try? JSONDecoder().decode(InTotoStatement<JSONValue>.self, from: decodedPayload())
        return statement?.subject.first { $0.name == name }?.sha256
    }
}
