import AssayCertify
import AssayTestSupport
import Foundation
import Testing

struct KeyPairGeneratorTests {
    func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test func writesPrivateKey0600AndPublicKey0644() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try KeyPairGenerator.generate(prefix: directory.appendingPathComponent("issuer").path)
        #expect(output.privateKeyURL.lastPathComponent == "issuer.key")
        #expect(output.publicKeyURL.lastPathComponent == "issuer.pub")
        #expect(try mode(output.privateKeyURL) == 0o600)
        #expect(try mode(output.publicKeyURL) == 0o644)
        #expect(try SigningKey(contentsOf: output.privateKeyURL).seed == output.key.seed)
        #expect(try TrustedPublicKey(contentsOf: output.publicKeyURL) == output.key.publicKey)
    }

    @Test func refusesToOverwriteUnlessAsked() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("issuer").path
        let first = try KeyPairGenerator.generate(prefix: prefix)

        // Only the .pub exists: nothing is written, the .key path is untouched.
        try FileManager.default.removeItem(at: first.privateKeyURL)
        #expect(keyError { _ = try KeyPairGenerator.generate(prefix: prefix) } == .fileExists(path: prefix + ".pub"))
        #expect(!FileManager.default.fileExists(atPath: prefix + ".key"))

        let second = try KeyPairGenerator.generate(prefix: prefix, overwrite: true)
        #expect(second.key.seed != first.key.seed)
        #expect(try SigningKey(contentsOf: second.privateKeyURL).seed == second.key.seed)
        #expect(try mode(second.privateKeyURL) == 0o600)
    }

    @Test func overwriteReplacesAWorldReadableFileWithA0600One() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let prefix = directory.appendingPathComponent("issuer").path
        #expect(
            FileManager.default.createFile(
                atPath: prefix + ".key",
                contents: Data("old".utf8),
                attributes: [.posixPermissions: 0o644]
            )
        )
        let output = try KeyPairGenerator.generate(prefix: prefix, overwrite: true, key: Fixtures.key)
        #expect(try mode(output.privateKeyURL) == 0o600)
        #expect(try String(contentsOf: output.privateKeyURL, encoding: .utf8) == Fixtures.privatePEM)
    }

    @Test func reportsAnUnwritableLocation() throws {
        // A folder under a plain file cannot be created, even by root.
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("plain")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data()))
        let error = keyError {
            _ = try KeyPairGenerator.generate(prefix: file.appendingPathComponent("keys/issuer").path)
        }
        guard case .io(let path, _)? = error else {
            Issue.record("expected io error, got \(String(describing: error))")
            return
        }
        #expect(path == file.appendingPathComponent("keys").path)
    }

    @Test func createsMissingFoldersPrivate() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-certify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try KeyPairGenerator.generate(
            prefix: directory.appendingPathComponent("keys/lab/station").path,
            key: Fixtures.key
        )
        #expect(try mode(directory.appendingPathComponent("keys")) == 0o700)
        #expect(try mode(directory.appendingPathComponent("keys/lab")) == 0o700)
        #expect(try mode(output.privateKeyURL) == 0o600)
    }
}
