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
}
