import AssayCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The life of a run directory `Reports/<target>/<run-id>/` before its first case.
///
/// It is built as a hidden `.<run-id>.partial` folder, locked, given a run.json that says
/// `failed-to-start` (true until the backend has started), and only then renamed into place:
/// a run directory without run.json is never visible, whatever moment a kill comes. `latest`
/// moves onto it only once the run has started, so a run that never did leaves the previous
/// good run as `latest`.
enum RunDirectory {
    /// Says why a run is stopped before its backend started, until something better is known.
    static let stoppedBeforeStart =
        "the harness stopped before the first case (killed or failed while starting the backend or measuring ceilings)"

    /// Creates, locks and records a new run directory; `record` builds its first record from the run id.
    static func create(root: URL, targetID: String, record makeRecord: (String) -> RunRecord) throws -> (URL, RunLock) {
        let runID = newRunID()
        let targetFolder = root.appendingPathComponent(targetID)
        let partial = targetFolder.appendingPathComponent(".\(runID).partial")
        let directory = targetFolder.appendingPathComponent(runID)
        try makeFolders(partial)
        let lock = try RunLock.acquire(partial)
        var record = makeRecord(runID)
        record.status = .failedToStart
        record.failure = stoppedBeforeStart
        try write(record, to: partial)
        guard rename(partial.path, directory.path) == 0 else { throw FileIOError("rename", path: partial.path) }
        return (directory, lock)
    }

    /// `mkdir -p` with mkdir(2), so a failure names the folder that could not be made and why.
    static func makeFolders(_ url: URL) throws {
        var path = ""
        for component in url.standardizedFileURL.pathComponents where component != "/" {
            path += "/" + component
            if mkdir(path, 0o755) == 0 || errno == EEXIST {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    continue
                }
                throw FileIOError("create the folder", path: path, code: ENOTDIR)
            }
            throw FileIOError("create the folder", path: path)
        }
    }

    static func write(_ record: RunRecord, to directory: URL) throws {
        try AtomicFile.write(
            try RecordCoding.encoder().encode(record),
            to: directory.appendingPathComponent("run.json")
        )
    }

    /// Points `<target folder>/latest` at `directory`, replacing the old link atomically.
    static func markLatest(_ directory: URL) throws {
        let folder = directory.deletingLastPathComponent()
        let latest = folder.appendingPathComponent("latest").path
        let temporary = folder.appendingPathComponent(".latest.\(getpid()).tmp").path
        unlink(temporary)
        guard symlink(directory.lastPathComponent, temporary) == 0 else { throw FileIOError("link", path: temporary) }
        guard rename(temporary, latest) == 0 else {
            let failure = FileIOError("replace", path: latest)
            unlink(temporary)
            throw failure
        }
    }

    /// `<UTC timestamp>-<random>`.
    static func newRunID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return "\(formatter.string(from: Date()))-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}
