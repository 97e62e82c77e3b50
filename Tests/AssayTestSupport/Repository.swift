import Foundation

/// The checkout the tests run in, for tests that read its files (suites, profiles, the Python
/// backends) or drive the built `assay` executable.
public enum Repository {
    /// The repository root. `#filePath` here is `Tests/AssayTestSupport/Repository.swift`, so the
    /// root is three components up, whichever test target asks.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `assay` executable that `swift build` left under `.build/{debug,release}` of the root
    /// or a folder above it (checked in that order, nearest first); nil when it is not built.
    /// Computed on each call, so a build that finishes while the tests run is seen.
    public static var assayExecutable: URL? {
        var directory = root
        while directory.path != "/" {
            for configuration in ["debug", "release"] {
                let candidate = directory.appendingPathComponent(".build/\(configuration)/assay")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
