import Foundation

/// The one rule for "a run named on the command line": a run directory (or a `latest` link to
/// one) stands for its `run.json`; any other path is the record itself. Report, gate, baseline,
/// certify and verify all resolve through it.
public enum RunRecordPath {
    /// `argument` made absolute against `base` (the current directory when nil), symlinks resolved.
    public static func absolute(_ argument: String, relativeTo base: URL? = nil) -> URL {
        let root =
            base.map { URL(fileURLWithPath: $0.path, isDirectory: true) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return URL(fileURLWithPath: argument, relativeTo: root).standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Whether `url` is an existing directory.
    public static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The run.json that `argument` names.
    public static func record(_ argument: String, relativeTo base: URL? = nil) -> URL {
        record(at: absolute(argument, relativeTo: base))
    }

    /// The run.json that an absolute `url` names: its own `run.json` for a directory, else itself.
    public static func record(at url: URL) -> URL {
        isDirectory(url) ? url.appendingPathComponent("run.json") : url
    }
}
