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
    static let pythonVerifier = #"""
        import base64, hashlib, json, sys
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
        d = sys.argv[1]
        pub = load_pem_public_key(open(d + "/issuer.pub", "rb").read())
        assert isinstance(pub, Ed25519PublicKey), type(pub)
        priv = load_pem_private_key(open(d + "/issuer.key", "rb").read(), password=None)
        assert priv.public_key().public_bytes_raw() == pub.public_bytes_raw(), "key pair mismatch"
        env = json.load(open(d + "/cert.dsse.json"))
        def pae(t, b): return b"DSSEv1 %d %s %d %s" % (len(t), t, len(b), b)
        assert pae(b"http://example.com/HelloWorld", b"hello world") == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        body = base64.b64decode(env["payload"], validate=True)
        ptype = env["payloadType"].encode()
        assert ptype == b"application/vnd.in-toto+json", ptype
        sig = base64.b64decode(env["signatures"][0]["sig"], validate=True)
        pub.verify(sig, pae(ptype, body))
        for i in range(len(body)):
            tampered = body[:i] + bytes([body[i] ^ 1]) + body[i + 1:]
            try:
                pub.verify(sig, pae(ptype, tampered))
                sys.exit("tampered payload at byte %d verified" % i)
            except InvalidSignature:
                pass
        assert priv.sign(pae(ptype, body)) == sig, "python signature differs"
        assert env["signatures"][0]["keyid"] == hashlib.sha256(pub.public_bytes_raw()).hexdigest()
        stmt = json.loads(body)
        assert stmt["_type"] == "https://in-toto.io/Statement/v1"
        print("python-verified")
        """#

    /// A key pair on disk and a certificate signed with it, in a fresh directory.
    func writeCertificate() throws -> (directory: URL, envelope: DSSEEnvelope) {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        let pair = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        let envelope = try EnvelopeSigner.sign(statement: Fixtures.statement(), key: pair.key)
        try envelope.jsonData().write(to: directory.appendingPathComponent("cert.dsse.json"))
        return (directory, envelope)
    }

    @Test(.enabled(if: Python.canImport("cryptography"), "python3 with the 'cryptography' package is not available; skipping independent verification"))
    func pythonCryptographyVerifiesTheCertificate() throws {
        let (directory, _) = try writeCertificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Python.run(Self.pythonVerifier, [directory.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("python-verified"))
    }

    /// Checks what only an issued certificate has: the predicate type and the run.json subject digest.
    static let pythonSubjectCheck = #"""
        import base64, hashlib, json, sys
        d = sys.argv[1]
        stmt = json.loads(base64.b64decode(json.load(open(d + "/cert.dsse.json"))["payload"]))
        assert stmt["predicateType"] == "https://assay.dev/attestations/adaptation-certificate/v1", stmt["predicateType"]
        subjects = {s["name"]: s["digest"]["sha256"] for s in stmt["subject"]}
        assert subjects["run.json"] == hashlib.sha256(open(d + "/run.json", "rb").read()).hexdigest(), "run.json digest"
        attestation = hashlib.sha256(open(d + "/run.dsse.json", "rb").read()).hexdigest()
        assert subjects["run.dsse.json"] == attestation == stmt["predicate"]["runAttestation"]["sha256"], "run attestation digest"
        print("subjects-verified", stmt["predicate"]["result"], stmt["predicate"]["level"])
        """#

    /// An issued adaptation certificate (`CertificateIssuer.certify`, what `assay certify` runs)
    /// checked by Python `cryptography` over PAE, in the layout `pythonVerifier` expects.
    @Test(.enabled(if: Python.canImport("cryptography"), "python3 with the 'cryptography' package is not available; skipping independent verification"))
    func pythonCryptographyVerifiesAnIssuedCertificate() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        let pair = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        let request = CertificateIssuer.Request(run: RunLocation(directory.path), profile: RunFixtures.profile, key: pair.key,
                                                at: RunFixtures.now, out: directory.appendingPathComponent("cert.dsse.json"),
                                                harnessVersion: "0.1.0", stations: RunFixtures.stations)
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
    static let pythonRunAttestationCheck = #"""
        import base64, hashlib, json, sys
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        d = sys.argv[1]
        pub = load_pem_public_key(open(d + "/station.pub", "rb").read())
        env = json.load(open(d + "/run.dsse.json"))
        body = base64.b64decode(env["payload"], validate=True)
        ptype = env["payloadType"].encode()
        pub.verify(base64.b64decode(env["signatures"][0]["sig"], validate=True),
                   b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(body), body))
        stmt = json.loads(body)
        assert stmt["predicateType"] == "https://assay.dev/attestations/run/v1", stmt["predicateType"]
        subjects = {s["name"]: s["digest"]["sha256"] for s in stmt["subject"]}
        for name in ["run.json", "journal.jsonl"]:
            assert subjects[name] == hashlib.sha256(open(d + "/" + name, "rb").read()).hexdigest(), name
        run = json.load(open(d + "/run.json"))
        prev = hashlib.sha256(("assay-journal/v1:" + run["runID"]).encode()).hexdigest()
        lines = open(d + "/journal.jsonl", "rb").read().split(b"\n")[:-1]
        for line in lines:
            assert json.loads(line)["chain"]["prev"] == prev, "chain"
            prev = hashlib.sha256(line).hexdigest()
        assert stmt["predicate"]["journal"] == {"lines": len(lines), "head": prev}
        print("run-attestation-verified", stmt["predicate"]["station"]["keyID"], sum(stmt["predicate"]["counts"].values()))
        """#

    @Test(.enabled(if: Python.canImport("cryptography"), "python3 with the 'cryptography' package is not available; skipping independent verification"))
    func pythonCryptographyVerifiesARunAttestation() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-attest")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        try RunFixtures.station.publicKey.pemRepresentation.write(to: directory.appendingPathComponent("station.pub"), atomically: true, encoding: .utf8)
        let result = try Python.run(Self.pythonRunAttestationCheck, [directory.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("run-attestation-verified \(RunFixtures.station.keyID) \(RunFixtures.goodCases.count)"))
    }

    @Test(.enabled(if: hasOpenSSL, "openssl is not installed; skipping"))
    func opensslReadsOurKeysAndVerifiesTheSignature() throws {
        let (directory, envelope) = try writeCertificate()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("issuer.key").path, pub = directory.appendingPathComponent("issuer.pub").path
        #expect(try Subprocess.run(["openssl", "pkey", "-in", key, "-noout"]).status == 0)
        #expect(try Subprocess.run(["openssl", "pkey", "-pubin", "-in", pub, "-noout"]).status == 0)
        // openssl derives the same public key file, byte for byte.
        let derived = try Subprocess.run(["openssl", "pkey", "-in", key, "-pubout"])
        #expect(derived.output == (try String(contentsOfFile: pub, encoding: .utf8)))

        let message = directory.appendingPathComponent("pae.bin"), signature = directory.appendingPathComponent("sig.bin")
        try PAE.encode(payloadType: envelope.payloadType, payload: try envelope.decodedPayload()).write(to: message)
        try Data(base64Encoded: envelope.signatures[0].sig)!.write(to: signature)
        let verify = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", message.path, "-sigfile", signature.path]
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
        let key = directory.appendingPathComponent("o.key"), pub = directory.appendingPathComponent("o.pub")
        #expect(try Subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key.path]).status == 0)
        #expect(try Subprocess.run(["openssl", "pkey", "-in", key.path, "-pubout", "-out", pub.path]).status == 0)
        let signing = try SigningKey(contentsOf: key)
        #expect(try TrustedPublicKey(contentsOf: pub) == signing.publicKey)
        #expect(signing.pemRepresentation == (try String(contentsOf: key, encoding: .utf8)))
    }
}
