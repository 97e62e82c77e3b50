import Foundation

/// Reads one pipe to EOF on a background queue, keeping at most `LiveProbeSource.maxBytes`.
/// Unchecked Sendable: `data` is only touched under `lock`.
final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global(qos: .utility).async { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                if data.count < LiveProbeSource.maxBytes { data.append(chunk) }
                lock.unlock()
            }
            done.signal()
        }
    }

    func collect(waitingUpTo seconds: Double) -> String {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
