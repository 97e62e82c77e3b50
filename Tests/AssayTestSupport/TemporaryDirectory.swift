import Foundation

/// Unique scratch locations under the system temporary directory, named `<prefix>-<UUID>` so
/// that a leftover shows which tests left it. Tests remove them when done.
public enum TemporaryDirectory {
    /// A fresh, empty directory.
    public static func make(prefix: String) throws -> URL {
        let url = uniqueURL(prefix: prefix)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path that does not exist yet, for a file or for a folder the code under test creates.
    public static func uniqueURL(prefix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    }
}
