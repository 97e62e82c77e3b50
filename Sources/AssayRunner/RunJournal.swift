import AssayCore
import Foundation

/// The append-only, hash-chained record of finished cases (`journal.jsonl`, one CaseResult
/// per line; the chain is described in `JournalChain`).
///
/// Each line is written and fsync'ed before the next case starts, so a run killed with
/// SIGKILL loses at most the case in flight. A torn last line is dropped on reopening.
/// Reopening verifies every line: a line the harness did not write (chain break, missing or
/// wrong station MAC, a line beyond the head run.json recorded at a clean stop) is moved to
/// `journal.refused.jsonl` with every line after it, recorded as a `JournalEvent`, and its
/// case runs again: a forged line never becomes a result.
public final class RunJournal {
    public let url: URL
    private let handle: FileHandle
    private let key: JournalKey?
    private let runID: String
    public private(set) var lineCount: Int
    /// SHA-256 of the last line (the genesis hash when empty).
    public private(set) var head: String

    /// What run.json should record about the journal now.
    public func state(events: [JournalEvent]) -> JournalState {
        JournalState(lines: lineCount, head: head, keyed: key != nil, events: events)
    }

    /// Opens (creating if needed), verifies, and returns the results already journaled with
    /// the events found. `recorded` is run.json's last word on the journal; `stoppedCleanly`
    /// says run.json was written after the last append (an interrupt, not a kill).
    public static func open(
        at url: URL,
        runID: String,
        key: JournalKey?,
        recorded: JournalState?,
        stoppedCleanly: Bool
    ) throws -> (RunJournal, [CaseResult], [JournalEvent]) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path), !manager.createFile(atPath: url.path, contents: nil) {
            throw FileIOError("create", path: url.path, code: errno == 0 ? EIO : errno)
        }
        if let recorded, recorded.lines > 0, recorded.keyed != (key != nil) {
            throw InputError(
                file: url.path,
                message: recorded.keyed
                    ? "this run's journal is keyed by a station: resume it with --sign-with and the same station key"
                    : "this run was started without a station key: resume it without --sign-with"
            )
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileIOError.from(error, operation: "read", path: url.path)
        }
        // A record from before the chain has no `journal` member; only then is an unchained prefix read.
        let verification = JournalVerification.verify(
            data,
            runID: runID,
            key: key,
            allowUnchainedPrefix: recorded == nil
        )
        var accepted = verification.lines
        var refused = verification.rejected
        var events: [JournalEvent] = []
        if verification.unchainedLines > 0 {
            events.append(
                JournalEvent(
                    kind: .unchained,
                    line: 1,
                    message:
                        "\(verification.unchainedLines) line(s) written by a harness before the journal chain; kept unverified",
                    refusedLines: 0
                )
            )
        }
        if let problem = verification.problem {
            events.append(
                JournalEvent(
                    kind: problem.kind,
                    line: problem.line,
                    message: problem.message,
                    refusedLines: refused.count
                )
            )
        }
        if let recorded {
            if accepted.count < recorded.lines {
                events.append(
                    JournalEvent(
                        kind: .headMismatch,
                        line: accepted.count + 1,
                        message: "run.json recorded \(recorded.lines) journal line(s); only \(accepted.count) verify",
                        refusedLines: 0
                    )
                )
            } else if recorded.lines > 0, JournalChain.hash(accepted[recorded.lines - 1].bytes) != recorded.head {
                // A whole chain recomputed by someone else: nothing in it can be trusted.
                events.append(
                    JournalEvent(
                        kind: .headMismatch,
                        line: recorded.lines,
                        message: "line \(recorded.lines) is not the head run.json recorded: the chain was rewritten",
                        refusedLines: accepted.count
                    )
                )
                refused = accepted.map(\.bytes) + refused
                accepted = []
            } else if stoppedCleanly, accepted.count > recorded.lines {
                let extra = accepted.count - recorded.lines
                events.append(
                    JournalEvent(
                        kind: .unrecordedLines,
                        line: recorded.lines + 1,
                        message:
                            "\(extra) line(s) after the head run.json recorded when the run stopped: the harness did not write them",
                        refusedLines: extra
                    )
                )
                refused = accepted[recorded.lines...].map(\.bytes) + refused
                accepted.removeLast(extra)
            }
        }
        if !refused.isEmpty { try keep(refused, beside: url) }
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw FileIOError("open", path: url.path, code: errno == 0 ? EACCES : errno)
        }
        _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)  // no child process may inherit the journal (issue 24)
        // Keep the verified prefix; drop a torn tail and the refused lines (kept aside above).
        do {
            try handle.truncate(atOffset: UInt64(accepted.reduce(0) { $0 + $1.bytes.count + 1 }))
            try handle.seekToEnd()
        } catch {
            throw FileIOError.from(error, operation: "truncate", path: url.path)
        }
        let head = accepted.last.map { JournalChain.hash($0.bytes) } ?? JournalChain.genesis(runID: runID)
        let journal = RunJournal(
            url: url,
            handle: handle,
            key: key,
            runID: runID,
            lineCount: accepted.count,
            head: head
        )
        return (journal, accepted.map(\.result), events)
    }

    /// The refused lines, appended to `journal.refused.jsonl` as evidence.
    private static func keep(_ lines: [Data], beside url: URL) throws {
        let refusedURL = url.deletingLastPathComponent().appendingPathComponent("journal.refused.jsonl")
        if !FileManager.default.fileExists(atPath: refusedURL.path) {
            FileManager.default.createFile(atPath: refusedURL.path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: refusedURL.path) else {
            throw AssayError.io("cannot open \(refusedURL.path)")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        for line in lines { try handle.write(contentsOf: line + Data("\n".utf8)) }
        try handle.synchronize()
    }

    private init(url: URL, handle: FileHandle, key: JournalKey?, runID: String, lineCount: Int, head: String) {
        self.url = url
        self.handle = handle
        self.key = key
        self.runID = runID
        self.lineCount = lineCount
        self.head = head
    }

    public func append(_ result: CaseResult) throws {
        let body = try RecordCoding.encoder(pretty: false).encode(result)
        var line = JournalChain.line(body: body, prev: head, key: key)
        let newHead = JournalChain.hash(line)
        line.append(UInt8(ascii: "\n"))
        // Plain write(2) and fsync(2), so that a full disk names this file and its errno.
        let fd = handle.fileDescriptor
        let start = lseek(fd, 0, SEEK_CUR)
        do {
            try line.withUnsafeBytes { try FileIOError.writeAll($0, to: fd, path: url.path) }
            guard fsync(fd) == 0 || errno == EINVAL else { throw FileIOError("flush", path: url.path) }
        } catch {
            // Leave no partial line behind: the journal stays a list of whole results.
            if start >= 0 {
                _ = ftruncate(fd, start)
                _ = lseek(fd, start, SEEK_SET)
            }
            throw error
        }
        head = newHead  // only once the line is on disk: a failed write leaves the chain where it was
        lineCount += 1
    }

    deinit { try? handle.close() }
}
