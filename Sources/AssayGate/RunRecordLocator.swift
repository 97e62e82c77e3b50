import AssayCore
import Foundation

/// Turns what the user typed for `--baseline`/`--current` into a run record file: a run.json,
/// a run directory (or a `latest` link to one), or — when allowed — a saved baseline name.
public enum RunRecordLocator {
    public static func locate(_ argument: String, relativeTo root: URL, baselines: BaselineStore?) throws -> URL {
        // The root as a directory, whether or not Foundation saw it as one when it was made.
        let base = URL(fileURLWithPath: root.path, isDirectory: true)
        let url = URL(fileURLWithPath: argument, relativeTo: base).standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? url.appendingPathComponent("run.json") : url
        }
        if let baselines, BaselineStore.isValidName(argument) {
            let saved = baselines.recordURL(argument)
            if FileManager.default.fileExists(atPath: saved.path) { return saved }
            let known = baselines.list()
            throw InputError(file: argument, message: "no run record, run directory or saved baseline of that name"
                             + (known.isEmpty ? " (no baselines saved under \(baselines.folder.lastPathComponent)/)" : " (saved: \(known.joined(separator: ", ")))"))
        }
        throw InputError(file: argument, message: "no run record or run directory at this path")
    }

    public static func load(_ argument: String, relativeTo root: URL, baselines: BaselineStore?) throws -> (RunRecord, URL) {
        let url = try locate(argument, relativeTo: root, baselines: baselines)
        return (try RunRecord.load(contentsOf: url), url)
    }
}
