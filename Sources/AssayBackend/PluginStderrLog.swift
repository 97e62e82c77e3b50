import Foundation

/// Where every plugin's stderr goes during a run: `plugin.stderr.log` in the run directory,
/// bounded (rotated to `plugin.stderr.log.1` at the limit, one old file kept), plus a short
/// in-memory window so a case can quote what the plugin wrote while it ran (an `internal`
/// error's traceback). Unchecked Sendable: all state is touched under `lock`.
public final class PluginStderrLog: @unchecked Sendable {
    public static let shared = PluginStderrLog()

    /// Bytes kept in memory for `text(since:)`.
    static let windowCapacity = 16 << 10

    private let lock = NSLock()
    private var handle: FileHandle?
    private var url: URL?
    private var limit = 0
    private var written = 0
    private var window: [UInt8] = []
    /// Every byte ever seen; `window` holds the last of them.
    private var total = 0

    /// Starts logging to `url` (an existing file is continued, as on --resume), rotating at `limit` bytes.
    public func open(at url: URL, limit: Int = 4 << 20) {
        lock.lock()
        defer { lock.unlock() }
        try? handle?.close()
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try? FileHandle(forWritingTo: url)
        written = Int((try? handle?.seekToEnd()) ?? 0)
        self.url = url
        self.limit = limit
    }

    /// Appends a chunk a plugin wrote to stderr.
    func write(_ chunk: ArraySlice<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        total += chunk.count
        window.append(contentsOf: chunk.suffix(Self.windowCapacity))
        if window.count > Self.windowCapacity { window.removeFirst(window.count - Self.windowCapacity) }
        guard let handle, let url else { return }
        if written + chunk.count > limit {
            try? handle.close()
            let old = url.appendingPathExtension("1")
            try? FileManager.default.removeItem(at: old)
            try? FileManager.default.moveItem(at: url, to: old)
            FileManager.default.createFile(atPath: url.path, contents: nil)
            self.handle = try? FileHandle(forWritingTo: url)
            written = 0
        }
        try? self.handle?.write(contentsOf: Data(chunk.suffix(limit)))
        written += Swift.min(chunk.count, limit)
    }

    /// How many bytes plugins have written so far: a mark for `text(since:)`.
    public var position: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }

    /// What plugins wrote after `mark`, at most the last `limit` bytes; waits up to `seconds` for
    /// something to arrive (stderr is drained by another thread and may lag the reply).
    public func text(since mark: Int, limit: Int = 8 << 10, waiting seconds: Double = 0.3) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while position <= mark, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        lock.lock()
        defer { lock.unlock() }
        let fresh = Swift.min(total - mark, window.count, limit)
        guard fresh > 0 else { return nil }
        return String(decoding: window.suffix(fresh), as: UTF8.self)
    }
}
