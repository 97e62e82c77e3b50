import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Drains a plugin's stderr on a background thread into a bounded ring, so a chatty plugin
/// can never block on a full pipe and a failure report can quote the last lines it wrote.
/// Unchecked Sendable: `bytes` is only touched under `lock`; the pipe is only read under `readLock`.
final class StderrRing: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    /// Where the oldest byte is once the ring has wrapped.
    private var start = 0
    /// Held for each read of the pipe together with its append, so `tail` can catch up with
    /// the pipe without racing a read the drain thread has made but not yet appended.
    private let readLock = NSLock()
    private var fd: Int32 = -1
    private var sawEOF = false
    /// Read buffer, allocated once; used only under `readLock`.
    private var chunk = [UInt8](repeating: 0, count: 16 << 10)
    /// Signalled once the drain thread has read EOF.
    private let drained = DispatchSemaphore(value: 0)

    init(capacity: Int = 64 << 10) { self.capacity = capacity }

    /// Starts a thread that reads `fd` until EOF and then closes it. The fd is made non-blocking:
    /// the thread waits in `poll` (outside the lock) and reads under it.
    func drain(fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let thread = Thread { [self] in
            var waiter = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                if poll(&waiter, 1, -1) < 0 && errno != EINTR { break }
                readLock.lock()
                readAvailable()
                let finished = sawEOF
                readLock.unlock()
                if finished { break }
            }
            readLock.lock()
            close(fd)
            self.fd = -1
            readLock.unlock()
            drained.signal()
        }
        thread.name = "assay-plugin-stderr"
        thread.start()
    }

    /// Reads what the pipe holds now, until it would block or ends. Caller holds `readLock`.
    private func readAvailable() {
        guard fd >= 0, !sawEOF else { return }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                append(chunk[0..<count])
                PluginStderrLog.shared.write(chunk[0..<count])
            } else if count == 0 {
                sawEOF = true
                return
            } else if errno != EINTR {
                if errno != EAGAIN && errno != EWOULDBLOCK { sawEOF = true }
                return
            }
        }
    }

    /// Waits up to `seconds` for the drain to read EOF, so that a tail taken after the plugin was
    /// killed holds what it wrote last (the drain thread may not have caught up with it yet).
    func waitUntilDrained(seconds: Double) {
        if drained.wait(timeout: .now() + seconds) == .success { drained.signal() }  // stays signalled for later waits
    }

    func append(_ chunk: ArraySlice<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        for byte in chunk.suffix(capacity) {
            if bytes.count < capacity {
                bytes.append(byte)
            } else {
                bytes[start] = byte
                start = (start + 1) % capacity
            }
        }
    }

    /// The last `limit` bytes written, as text (invalid UTF-8 repaired). It first reads what the
    /// pipe holds, so everything the plugin wrote before its last reply is in it: the plugin
    /// writes a traceback before the error reply, but the drain thread may not have run yet.
    func tail(limit: Int? = nil) -> String {
        readLock.lock()
        readAvailable()
        readLock.unlock()
        lock.lock()
        let ordered = Array(bytes[start...] + bytes[..<start])
        lock.unlock()
        return String(decoding: ordered.suffix(limit ?? capacity), as: UTF8.self)
    }
}
