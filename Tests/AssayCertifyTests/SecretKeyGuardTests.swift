import AssayCertify
import AssayTestSupport
import Foundation
import Testing

/// `SecretKeyGuard` asks git whether a secret key's path is ignored before keygen writes it.
@Suite("Secret key guard", .enabled(if: Subprocess.locate("git") != nil))
struct SecretKeyGuardTests {
    static func repository() throws -> URL {
        let folder = try TemporaryDirectory.make(prefix: "assay-keyguard")
        #expect(try Subprocess.run(["git", "init", "-q", folder.path]).status == 0)
        return folder
    }

    @Test("a key in a work tree that git does not ignore is refused, naming the path and the remedy")
    func unignoredPathIsRefused() throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        // The folder need not exist yet: keygen may create it.
        let path = repository.appendingPathComponent("keys/deeper/lab.key").path
        #expect(throws: SecretKeyGuard.Refusal.self) { try SecretKeyGuard.check(secretKeyPath: path) }
        do {
            try SecretKeyGuard.check(secretKeyPath: path)
        } catch {
            #expect(
                error.path == path && error.description.contains(".gitignore") && error.description.contains("--force")
            )
            #expect(
                URL(fileURLWithPath: error.workTree).resolvingSymlinksInPath().path
                    == repository.resolvingSymlinksInPath().path
            )
        }
    }

    @Test("an ignored path (by pattern or by info/exclude) is allowed")
    func ignoredPathIsAllowed() throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        try "keys/\n".write(to: repository.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        try SecretKeyGuard.check(secretKeyPath: repository.appendingPathComponent("keys/lab.key").path)
        try "*.key\n".write(
            to: repository.appendingPathComponent(".git/info/exclude"),
            atomically: true,
            encoding: .utf8
        )
        try SecretKeyGuard.check(secretKeyPath: repository.appendingPathComponent("elsewhere/lab.key").path)
        #expect(throws: SecretKeyGuard.Refusal.self) {
            try SecretKeyGuard.check(secretKeyPath: repository.appendingPathComponent("elsewhere/lab.pem").path)
        }
    }

    @Test("outside a work tree, or without git, there is nothing to guard against")
    func outsideAWorkTreeIsAllowed() throws {
        let plain = try TemporaryDirectory.make(prefix: "assay-keyguard-plain")
        defer { try? FileManager.default.removeItem(at: plain) }
        try SecretKeyGuard.check(secretKeyPath: plain.appendingPathComponent("keys/lab.key").path)
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        try SecretKeyGuard.check(
            secretKeyPath: repository.appendingPathComponent("lab.key").path,
            git: "no-such-git-assay-test"
        )
    }

    @Test(
        "this repository's .gitignore covers keys/, gate/ and Baselines/",
        .enabled(if: (try? Subprocess.run(["git", "-C", Repository.root.path, "rev-parse"]).status) == 0)
    )
    func repositoryIgnoresSecretsAndOutputs() throws {
        try SecretKeyGuard.check(secretKeyPath: Repository.root.appendingPathComponent("keys/lab.key").path)
        #expect(throws: SecretKeyGuard.Refusal.self) {
            try SecretKeyGuard.check(secretKeyPath: Repository.root.appendingPathComponent("Sources/lab.key").path)
        }
        for path in ["keys/lab.key", "gate/gate.json", "Baselines/main/run.json"] {
            let result = try Subprocess.run([
                "git", "-C", Repository.root.path, "check-ignore", "-q", "--no-index", path,
            ])
            #expect(result.status == 0, "\(path) is not ignored")
        }
    }
}
