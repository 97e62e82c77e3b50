import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

/// The pipe plumbing under the plugin backend, against plain Unix tools.
@Suite struct PluginProcessTests {
    /// Several buffers, one far larger than the pipe, arrive whole and in order: writev's partial
    /// writes resume mid-buffer.
    @Test func buffersArriveWholeAndInOrderThroughPartialWrites() throws {
        let file = TemporaryDirectory.uniqueURL(prefix: "assay-writev")
        defer { try? FileManager.default.removeItem(at: file) }
        let big = (0..<(3 << 20) + 7).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let pieces: [[UInt8]] = [[1], big, [], Array("tail".utf8)]
        let expected = pieces.flatMap { $0 }
        let process = try PluginProcess(
            argv: ["/bin/sh", "-c", "head -c \(expected.count) > \"$0\"", file.path],
            environment: ProcessInfo.processInfo.environment,
            directory: nil
        )
        defer { process.kill() }
        try pieces[0].withUnsafeBytes { a in
            try pieces[1].withUnsafeBytes { b in
                try pieces[2].withUnsafeBytes { c in
                    try pieces[3].withUnsafeBytes { d in
                        try process.write([a, b, c, d], deadline: Deadline(seconds: 30))
                    }
                }
            }
        }
        #expect(process.waitForExit(seconds: 30) != nil)
        #expect(try Data(contentsOf: file) == Data(expected))
    }

    @Test func writingToAProcessThatExitedIsEndOfStream() throws {
        let process = try PluginProcess(argv: ["/bin/sh", "-c", "exit 0"], environment: [:], directory: nil)
        defer { process.kill() }
        #expect(process.waitForExit(seconds: 30) != nil)
        #expect(throws: PluginIOError.endOfStream) {
            try process.write(Array(repeating: 0, count: 1 << 16), deadline: Deadline(seconds: 5))
        }
    }

    /// The spin before a blocking read loses and reorders nothing, whether the bytes come
    /// during it, after it (the blocking wait takes over), or never (the deadline still holds,
    /// even with a spin asked to be longer than the deadline).
    @Test(arguments: [0, 200, 10_000_000])
    func aReadSpinsThenBlocksWithoutLosingBytesOrTheDeadline(spinMicroseconds: Int) throws {
        let process = try PluginProcess(
            argv: ["/bin/sh", "-c", "echo first; sleep 0.3; printf 'second\\nxyz'; sleep 30"],
            environment: ProcessInfo.processInfo.environment,
            directory: nil,
            replySpinMicroseconds: spinMicroseconds
        )
        defer { process.kill() }
        #expect(Array(try process.readLine(limit: 64, deadline: Deadline(seconds: 30))) == Array("first".utf8))
        #expect(Array(try process.readLine(limit: 64, deadline: Deadline(seconds: 30))) == Array("second".utf8))
        var tail = [UInt8](repeating: 0, count: 3)
        try tail.withUnsafeMutableBytes { try process.readExact(into: $0, deadline: Deadline(seconds: 30)) }
        #expect(tail == Array("xyz".utf8))
        let start = Date()
        #expect(throws: PluginIOError.timedOut) {
            _ = try process.readLine(limit: 64, deadline: Deadline(seconds: 0.2))
        }
        // The spin is capped at 10 ms and stops at the deadline: a 10 s spin must not hold a 0.2 s deadline.
        #expect(Date().timeIntervalSince(start) < 5)
    }
}
