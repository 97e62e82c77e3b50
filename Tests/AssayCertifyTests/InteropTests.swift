import AssayCertify
import AssayTestSupport
import Foundation
import Testing

/// Verification by tools that share no code with this module: a certificate
/// must check out with standard tooling, not only with our own verifier.
struct InteropTests {
    static let hasOpenSSL = (try? Subprocess.run(["openssl", "version"]).status) == 0

    /// Loads both PEM files, recomputes PAE, verifies the signature, checks
    /// that a tampered payload fails, and re-signs to compare (Ed25519 is deterministic).
    static let pythonVerifier = Python.script(named: "dsse_verify.py")

    /// A key pair on disk and a certificate signed with it, in a fresh directory.
    func writeCertificate() throws -> (directory: URL, envelope: DSSEEnvelope) {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        let pair = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        let envelope = try EnvelopeSigner.sign(statement: Fixtures.statement(), key: pair.key)
        try envelope.jsonData().write(to: directory.appendingPathComponent("cert.dsse.json"))
        return (directory, envelope)
    }

    @Test(
        .enabled(
            if: Python.canImport("cryptography"),
            "python3 with the 'cryptography' package is not available; skipping independent verification"
        )
    )
    func pythonCryptographyVerifiesTheCertificate() throws {
        let (directory, _) = try writeCertificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Python.run(Self.pythonVerifier, [directory.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("python-verified"))
    }

    /// Checks what only an issued certificate has: the predicate type and the run.json subject digest.
    static let pythonSubjectCheck = Python.script(named: "certificate_subjects.py")

    /// An issued adaptation certificate (`CertificateIssuer.certify`, what `assay certify` runs)
    /// checked by Python `cryptography` over PAE, in the layout `pythonVerifier` expects.
    @Test(
        .enabled(
            if: Python.canImport("cryptography"),
            "python3 with the 'cryptography' package is not available; skipping independent verification"
        )
    )
    func pythonCryptographyVerifiesAnIssuedCertificate() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        let pair = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        let request = CertificateIssuer.Request(
            run: RunLocation(directory.path),
            profile: RunFixtures.profile,
            key: pair.key,
            at: RunFixtures.now,
            out: directory.appendingPathComponent("cert.dsse.json"),
            harnessVersion: "0.1.0",
            stations: RunFixtures.stations
        )
        guard case .issued = try CertificateIssuer.certify(request) else {
            Issue.record("fixture run was refused")
            return
        }
        let signature = try Python.run(Self.pythonVerifier, [directory.path])
        #expect(signature.status == 0, "\(signature.output)")
        #expect(signature.output.contains("python-verified"))
        let subjects = try Python.run(Self.pythonSubjectCheck, [directory.path])
        #expect(subjects.status == 0, "\(subjects.output)")
        #expect(subjects.output.contains("subjects-verified pass performance"))
    }

    /// Checks a run attestation the way a lab without Assay would: the station's signature over
    /// PAE with Python `cryptography`, the predicate type, and every file subject's digest
    /// (journal.jsonl, run.json) and chain link (each line's prev is the SHA-256 of the line before).
    static let pythonRunAttestationCheck = Python.script(named: "run_attestation_check.py")

    @Test(
        .enabled(
            if: Python.canImport("cryptography"),
            "python3 with the 'cryptography' package is not available; skipping independent verification"
        )
    )
    func pythonCryptographyVerifiesARunAttestation() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-attest")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        try RunFixtures.station.publicKey.pemRepresentation.write(
            to: directory.appendingPathComponent("station.pub"),
            atomically: true,
            encoding: .utf8
        )
        let result = try Python.run(Self.pythonRunAttestationCheck, [directory.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(
            result.output.contains(
                "run-attestation-verified \(RunFixtures.station.keyID) \(RunFixtures.goodCases.count)"
            )
        )
    }

    @Test(.enabled(if: hasOpenSSL, "openssl is not installed; skipping"))
    func opensslReadsOurKeysAndVerifiesTheSignature() throws {
        let (directory, envelope) = try writeCertificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("issuer.key").path
        let pub = directory.appendingPathComponent("issuer.pub").path
        #expect(try Subprocess.run(["openssl", "pkey", "-in", key, "-noout"]).status == 0)
        #expect(try Subprocess.run(["openssl", "pkey", "-pubin", "-in", pub, "-noout"]).status == 0)
        // openssl derives the same public key file, byte for byte.
        let derived = try Subprocess.run(["openssl", "pkey", "-in", key, "-pubout"])
        #expect(derived.output == (try String(contentsOfFile: pub, encoding: .utf8)))

        let message = directory.appendingPathComponent("pae.bin")
        let signature = directory.appendingPathComponent("sig.bin")
        try PAE.encode(payloadType: envelope.payloadType, payload: try envelope.decodedPayload()).write(to: message)
        try Data(base64Encoded: envelope.signatures[0].sig)!.write(to: signature)
        let verify = [
            "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", message.path, "-sigfile",
            signature.path,
        ]
        let good = try Subprocess.run(verify)
        #expect(good.status == 0, "\(good.output)")
        var tampered = try Data(contentsOf: message)
        tampered[tampered.count - 2] ^= 0x01
        try tampered.write(to: message)
        #expect(try Subprocess.run(verify).status != 0)
    }

    @Test(.enabled(if: hasOpenSSL, "openssl is not installed; skipping"))
    func weLoadKeysThatOpenSSLGenerates() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("o.key")
        let pub = directory.appendingPathComponent("o.pub")
        #expect(try Subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key.path]).status == 0)
        #expect(try Subprocess.run(["openssl", "pkey", "-in", key.path, "-pubout", "-out", pub.path]).status == 0)
        let signing = try SigningKey(contentsOf: key)
        #expect(try TrustedPublicKey(contentsOf: pub) == signing.publicKey)
        #expect(signing.pemRepresentation == (try String(contentsOf: key, encoding: .utf8)))
    }
}
