import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drains a plugin's stderr on a background thread into a bounded ring, so a chatty plugin
/// can never block on a full pipe and a failure report can quote the last lines it wrote.
/// Unchecked Sendable: `bytes` is only touched under `lock`.
final class StderrRing: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    /// Where the oldest byte is once the ring has wrapped.
    private var start = 0
    /// Signalled once the drain thread has read EOF.
    private let drained = DispatchSemaphore(value: 0)

    init(capacity: Int = 64 << 10) { self.capacity = capacity }

    /// Starts a thread that reads `fd` until EOF and then closes it.
    func drain(fd: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 { append(chunk[0..<count]); PluginStderrLog.shared.write(chunk[0..<count]) } else if count == 0 || errno != EINTR { break }
            }
            close(fd)
            drained.signal()
        }
        thread.name = "assay-plugin-stderr"
        thread.start()
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
            if bytes.count < capacity { bytes.append(byte) } else { bytes[start] = byte; start = (start + 1) % capacity }
        }
    }

    /// The last `limit` bytes written, as text (invalid UTF-8 repaired).
    func tail(limit: Int? = nil) -> String {
        lock.lock()
        let ordered = Array(bytes[start...] + bytes[..<start])
        lock.unlock()
        return String(decoding: ordered.suffix(limit ?? capacity), as: UTF8.self)
    }
}
