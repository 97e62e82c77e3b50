import ArgumentParser
import AssayCertify
import Foundation

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing certificates.",
        discussion: """
            Writes PREFIX.key (PKCS#8 PEM, mode 0600: keep it secret) and PREFIX.pub (SubjectPublicKeyInfo PEM, \
            give it to verifiers) and prints the key id (sha256 of the raw public key). OpenSSL and Python \
            `cryptography` read both files.

            Inside a git work tree the secret key must be at a path git ignores (`.gitignore` lists `keys/`); \
            otherwise keygen refuses, since one `git add` would commit it (--force overrides).

            Exit codes: 0 written; 2 a file exists or the secret key would not be git-ignored (without --force), \
            or a file cannot be written.
            """
    )

    @Option(name: .long, help: "Path prefix of the key files.")
    var out: String

    @Flag(name: .long, help: "Replace existing key files, and write the secret key where git does not ignore it.")
    var force = false

    func run() throws {
        if !force {
            do { try SecretKeyGuard.check(secretKeyPath: out + ".key") } catch {
                throw InputFailure(message: error.description)
            }
        }
        do {
            let pair = try KeyPairGenerator.generate(prefix: out, overwrite: force)
            print("private key: \(pair.privateKeyURL.path)")
            print("public key:  \(pair.publicKeyURL.path)")
            print("keyid: \(pair.key.keyID)")
        } catch {
            throw InputFailure(message: error.description)
        }
    }
}
