import AssayBuiltins
import Foundation

/// Creates a lab workspace (`assay init`): `assay.yaml`, copies of the built-in targets,
/// suites and profiles, an example plugin descriptor, a `.gitignore` and a `keys/` folder (0700). Never overwrites.
public enum WorkspaceInitializer {
    static let keysFolder = "keys"

    /// One file of the workspace and whether this call wrote it (false: it was there and is kept).
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var created: Bool
    }

    /// The workspace's files, relative to its folder, with their text.
    public static func files(builtins: [BuiltinFile] = BuiltinFiles.all) -> [(path: String, text: String)] {
        [(WorkspaceSettings.fileName, WorkspaceTemplates.settings), (".gitignore", WorkspaceTemplates.gitignore)]
            + builtins.map { ($0.path, $0.text) }
            + [(WorkspaceTemplates.examplePluginPath, WorkspaceTemplates.examplePlugin)]
    }

    /// Writes the files missing under `directory` (created with its parents when needed).
    public static func create(at directory: URL, builtins: [BuiltinFile] = BuiltinFiles.all) throws -> [Entry] {
        let manager = FileManager.default
        var entries: [Entry] = []
        for (path, text) in files(builtins: builtins) {
            let url = directory.appendingPathComponent(path)
            if manager.fileExists(atPath: url.path) {
                entries.append(Entry(path: path, created: false))
                continue
            }
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            entries.append(Entry(path: path, created: true))
        }
        // Where `assay keygen --out keys/station` puts the station key named in assay.yaml; owner only.
        let keys = directory.appendingPathComponent(keysFolder)
        if !manager.fileExists(atPath: keys.path) {
            try manager.createDirectory(
                at: keys,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            entries.append(Entry(path: keysFolder + "/", created: true))
        }
        return entries
    }
}
