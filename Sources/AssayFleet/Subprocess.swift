import Foundation

/// A finished command's exit status and output, for the scheduler's command-line tools.
struct Subprocess {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `arguments` (the program looked up on PATH) to the end; nil when it cannot be started.
    static func run(_ arguments: [String]) -> Subprocess? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // stderr drains on another thread, so a chatty tool never blocks on a full pipe.
        let errorText = Drained()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorText.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Subprocess(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorText.data, as: UTF8.self)
        )
    }
}

/// Bytes handed from the draining thread; the semaphore orders the write before the read.
private final class Drained: @unchecked Sendable {
    var data = Data()
}
