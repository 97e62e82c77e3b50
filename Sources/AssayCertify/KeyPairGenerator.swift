import Foundation

/// Creates a signing key pair on disk: `PREFIX.key` (mode 0600) and `PREFIX.pub` (mode 0644).
public enum KeyPairGenerator {
    public struct Output: Sendable {
        public let key: SigningKey
        public let privateKeyURL: URL
        public let publicKeyURL: URL
    }

    /// Writes `key` (a fresh one by default) as `prefix + ".key"` and `prefix + ".pub"`.
    ///
    /// Refuses if either file exists, before writing anything, unless `overwrite`.
    public static func generate(
        prefix: String,
        overwrite: Bool = false,
        key: SigningKey = SigningKey()
    ) throws(KeyError) -> Output {
        let privatePath = prefix + ".key"
        let publicPath = prefix + ".pub"
        // A missing folder (`keys/` in a fresh clone) is created private: it is about to hold a secret.
        let folder = URL(fileURLWithPath: privatePath).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw .io(path: folder, reason: "cannot create the folder: \(error.localizedDescription)")
            }
        }
        if !overwrite {
            for path in [privatePath, publicPath] where SecureFile.exists(path) {
                throw .fileExists(path: path)
            }
        }
        try SecureFile.create(
            privatePath,
            contents: Data(key.pemRepresentation.utf8),
            mode: 0o600,
            replacing: overwrite
        )
        do throws(KeyError) {
            try SecureFile.create(
                publicPath,
                contents: Data(key.publicKey.pemRepresentation.utf8),
                mode: 0o644,
                replacing: overwrite
            )
        } catch {
            // A private key without its public half is a trap for the next run.
            SecureFile.remove(privatePath)
            throw error
        }
        return Output(
            key: key,
            privateKeyURL: URL(fileURLWithPath: privatePath),
            publicKeyURL: URL(fileURLWithPath: publicPath)
        )
    }
}
