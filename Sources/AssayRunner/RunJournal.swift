import AssayCore
import Foundation

/// The append-only record of finished cases (`journal.jsonl`, one CaseResult per line).
///
/// Each line is written and fsync'ed before the next case starts, so a run killed with
/// SIGKILL loses at most the case in flight. A torn last line is dropped on reopening.
public final class RunJournal {
    public let url: URL
    private let handle: FileHandle

    /// Opens (creating if needed) and returns the results already journaled.
    public static func open(at url: URL) throws -> (RunJournal, [CaseResult]) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path), !manager.createFile(atPath: url.path, contents: nil) {
            throw FileIOError("create", path: url.path, code: errno == 0 ? EIO : errno)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw FileIOError.from(error, operation: "read", path: url.path) }
        var results: [CaseResult] = []
        var validLength = 0
        var offset = 0
        let decoder = RecordCoding.decoder()
        while let newline = data[offset...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = data[offset..<newline]
            guard let result = try? decoder.decode(CaseResult.self, from: line) else { break }
            results.append(result)
            offset = newline + 1
            validLength = offset
        }
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else { throw FileIOError("open", path: url.path, code: errno == 0 ? EACCES : errno) }
        _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)  // no child process may inherit the journal (issue 24)
        // Drop a torn tail left by a kill mid-write.
        do {
            try handle.truncate(atOffset: UInt64(validLength))
            try handle.seekToEnd()
        } catch {
            throw FileIOError.from(error, operation: "truncate", path: url.path)
        }
        return (RunJournal(url: url, handle: handle), results)
    }

    private init(url: URL, handle: FileHandle) {
        self.url = url
        self.handle = handle
    }

    public func append(_ result: CaseResult) throws {
        var line = try RecordCoding.encoder(pretty: false).encode(result)
        line.append(UInt8(ascii: "\n"))
        // Plain write(2) and fsync(2), so that a full disk names this file and its errno.
        let fd = handle.fileDescriptor
        let start = lseek(fd, 0, SEEK_CUR)
        do {
            try line.withUnsafeBytes { try FileIOError.writeAll($0, to: fd, path: url.path) }
            guard fsync(fd) == 0 || errno == EINVAL else { throw FileIOError("flush", path: url.path) }
        } catch {
            // Leave no partial line behind: the journal stays a list of whole results.
            if start >= 0 { _ = ftruncate(fd, start); _ = lseek(fd, start, SEEK_SET) }
            throw error
        }
    }

    deinit { try? handle.close() }
}
