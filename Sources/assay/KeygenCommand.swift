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

        Exit codes: 0 written; 2 a file exists (without --force) or cannot be written.
        """)

    @Option(name: .long, help: "Path prefix of the key files.")
    var out: String

    @Flag(name: .long, help: "Replace existing key files.")
    var force = false

    func run() throws {
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
