import AssayCertify
import AssayTestSupport
import Foundation
import Testing

struct KeyTests {
    @Test func pemMatchesIndependentEncoding() {
        #expect(Fixtures.key.pemRepresentation == Fixtures.privatePEM)
        #expect(Fixtures.key.publicKey.pemRepresentation == Fixtures.publicPEM)
        #expect(Fixtures.key.publicKey.rawRepresentation == Fixtures.publicRaw)
        #expect(Fixtures.key.keyID == Fixtures.keyID)
    }

    @Test func pemRoundTrip() throws {
        let key = SigningKey()
        let reloaded = try SigningKey(pem: key.pemRepresentation)
        #expect(reloaded.seed == key.seed)
        #expect(try TrustedPublicKey(pem: key.publicKey.pemRepresentation) == key.publicKey)
        // CRLF line ends and surrounding blank lines are tolerated.
        let crlf = "\n" + key.pemRepresentation.replacingOccurrences(of: "\n", with: "\r\n") + "\n\n"
        #expect(try SigningKey(pem: crlf).seed == key.seed)
    }

    @Test func everyChangeToTheDERPrefixIsRejected() {
        // The first 20 base64 characters encode only the 16-byte PKCS#8 prefix.
        let lines = Fixtures.privatePEM.split(separator: "\n").map(String.init)
        let body = Array(lines[1])
        for index in 0..<20 {
            var corrupted = body
            corrupted[index] = corrupted[index] == "A" ? "B" : "A"
            let pem = [lines[0], String(corrupted), lines[2]].joined(separator: "\n")
            let error = keyError { _ = try SigningKey(pem: pem) }
            guard case .malformedDER? = error else {
                Issue.record("character \(index): expected malformedDER, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func corruptedPEMIsRejectedWithAClearError() {
        let body = "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g"
        func pem(_ label: String, _ body: String) -> String {
            "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
        }

        #expect(
            keyError { _ = try SigningKey(pem: pem("PRIVATE KEY", "MC4C*QAw" + body.dropFirst(8))) }
                == .pemInvalidBase64
        )
        #expect(
            keyError { _ = try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\n\(body)\n") }
                == .pemMissingArmor(expectedLabel: "PRIVATE KEY")
        )
        #expect(keyError { _ = try SigningKey(pem: "") } == .pemMissingArmor(expectedLabel: "PRIVATE KEY"))
        #expect(
            keyError { _ = try SigningKey(pem: Fixtures.publicPEM) }
                == .pemWrongLabel(expected: "PRIVATE KEY", found: "PUBLIC KEY")
        )
        #expect(
            keyError { _ = try TrustedPublicKey(pem: Fixtures.privatePEM) }
                == .pemWrongLabel(expected: "PUBLIC KEY", found: "PRIVATE KEY")
        )
        #expect(
            keyError { _ = try SigningKey(pem: Fixtures.privatePEM + Fixtures.privatePEM) }
                == .pemMissingArmor(expectedLabel: "PRIVATE KEY")
        )

        // Truncated DER (last 3 bytes dropped).
        let truncated = Data(base64Encoded: body)!.dropLast(3).base64EncodedString()
        let error = keyError { _ = try SigningKey(pem: pem("PRIVATE KEY", truncated)) }
        #expect(error?.description == "not an unencrypted Ed25519 PKCS#8 private key: DER is 45 bytes, expected 48")
    }

    @Test func otherKeyKindsAreRejected() {
        // An X25519 private key (OID 1.3.101.110) and a PKCS#8 v2 Ed25519 key that embeds the public key.
        let x25519 =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n"
        #expect(keyError { _ = try SigningKey(pem: x25519) }?.description.contains("not Ed25519") == true)
        let v2 =
            Data([0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20])
            + Fixtures.seed + Data([0x81, 0x21, 0x00]) + Fixtures.publicRaw
        let v2PEM = "-----BEGIN PRIVATE KEY-----\n\(v2.base64EncodedString())\n-----END PRIVATE KEY-----\n"
        guard case .malformedDER? = keyError({ _ = try SigningKey(pem: v2PEM) }) else {
            Issue.record("PKCS#8 v2 accepted")
            return
        }
    }

    @Test func rawKeyLengthsAreChecked() {
        #expect(
            keyError { _ = try SigningKey(seed: Data(count: 31)) } == .invalidKeyBytes("seed is 31 bytes, expected 32")
        )
        #expect(
            keyError { _ = try TrustedPublicKey(rawRepresentation: Data(count: 33)) }
                == .invalidKeyBytes("public key is 33 bytes, expected 32")
        )
    }

    @Test func loadingAFileNamesItInErrors() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.pub")
        try Data("hello".utf8).write(to: url)
        let error = keyError { _ = try TrustedPublicKey(contentsOf: url) }
        #expect(error == .inFile(path: url.path, .pemMissingArmor(expectedLabel: "PUBLIC KEY")))
        #expect(error?.description.hasPrefix(url.path + ": not a PEM file") == true)
        guard
            case .io? = keyError({
                _ = try TrustedPublicKey(contentsOf: directory.appendingPathComponent("missing.pub"))
            })
        else {
            Issue.record("missing file not reported as io")
            return
        }
    }
}
