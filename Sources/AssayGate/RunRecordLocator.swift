import AssayCore
import Foundation

/// Turns what the user typed for `--baseline`/`--current` into a run record file: a run.json,
/// a run directory (or a `latest` link to one), or — when allowed — a saved baseline name.
public enum RunRecordLocator {
    public static func locate(_ argument: String, relativeTo root: URL, baselines: BaselineStore?) throws -> URL {
        let url = RunRecordPath.absolute(argument, relativeTo: root)
        if FileManager.default.fileExists(atPath: url.path) { return RunRecordPath.record(at: url) }
        if let baselines, BaselineStore.isValidName(argument) {
            if let saved = baselines.runURLs(argument).last { return saved }
            let known = baselines.list()
            throw InputError(
                file: argument,
                message: "no run record, run directory or saved baseline of that name"
                    + (known.isEmpty
                        ? " (no baselines saved under \(baselines.folder.lastPathComponent)/)"
                        : " (saved: \(known.joined(separator: ", ")))")
            )
        }
        throw InputError(file: argument, message: "no run record or run directory at this path")
    }

    public static func load(
        _ argument: String,
        relativeTo root: URL,
        baselines: BaselineStore?
    ) throws -> (RunRecord, URL) {
        let url = try locate(argument, relativeTo: root, baselines: baselines)
        return (try RunRecord.load(contentsOf: url), url)
    }

    /// A baseline of one or more runs, oldest first: a run.json or run directory (one run), a
    /// directory of run directories or run.json files (a history; `latest` links are skipped so
    /// no run counts twice), or a saved baseline name (every run saved under it).
    public static func loadRuns(
        _ argument: String,
        relativeTo root: URL,
        baselines: BaselineStore?
    ) throws -> ([RunRecord], URL) {
        let url = RunRecordPath.absolute(argument, relativeTo: root)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var files: [URL]
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
            !manager.fileExists(atPath: url.appendingPathComponent("run.json").path)
        {
            files = runFiles(in: url)
            guard !files.isEmpty else {
                throw InputError(file: argument, message: "no run directories or run records in this directory")
            }
        } else if !manager.fileExists(atPath: url.path), let baselines, BaselineStore.isValidName(argument),
            !baselines.runURLs(argument).isEmpty
        {
            files = baselines.runURLs(argument)
        } else {
            files = [try locate(argument, relativeTo: root, baselines: baselines)]
        }
        var seen = Set<String>()
        let records = try files.map { try RunRecord.load(contentsOf: $0) }.filter { seen.insert($0.runID).inserted }
        return (records.sorted { $0.startedAt < $1.startedAt }, files.count == 1 ? files[0] : url)
    }

    /// `DIR/*/run.json` and `DIR/*.json`, sorted, not following symbolic links.
    static func runFiles(in directory: URL) -> [URL] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
        return names.compactMap { name -> URL? in
            let entry = directory.appendingPathComponent(name)
            if (try? manager.destinationOfSymbolicLink(atPath: entry.path)) != nil { return nil }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue {
                let record = entry.appendingPathComponent("run.json")
                return manager.fileExists(atPath: record.path) ? record : nil
            }
            return name.hasSuffix(".json") ? entry : nil
        }
    }
}
