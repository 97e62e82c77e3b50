import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

@Suite struct PluginStderrLogTests {
    @Test func theLogIsBoundedAndRotatedAndACaseSeesWhatCameAfterItsMark() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-stderr-log")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("plugin.stderr.log")
        let log = PluginStderrLog()
        log.open(at: url, limit: 100)
        for line in 0..<10 { log.write(ArraySlice(Array("line \(line) of stderr output\n".utf8))) }
        let current = try Data(contentsOf: url)
        let previous = try Data(contentsOf: url.appendingPathExtension("1"))
        #expect(current.count <= 100 && previous.count <= 100 && !current.isEmpty)
        #expect(String(decoding: current, as: UTF8.self).hasSuffix("line 9 of stderr output\n"))
        let mark = log.position
        log.write(ArraySlice(Array("Traceback (most recent call last):\n".utf8)))
        #expect(log.text(since: mark, waiting: 0) == "Traceback (most recent call last):\n")
        #expect(log.text(since: log.position, waiting: 0) == nil)
    }
}
