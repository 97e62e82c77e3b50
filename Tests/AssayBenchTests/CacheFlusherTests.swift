import AssayTestSupport
import Foundation
import Testing

@testable import AssayBench

@Suite struct CacheFlusherTests {
    @Test func parsesSysfsSizes() {
        #expect(CacheFlusher.parseSize("48K") == 48 * 1024)
        #expect(CacheFlusher.parseSize("32768K") == 32 << 20)
        #expect(CacheFlusher.parseSize("1M") == 1 << 20)
        #expect(CacheFlusher.parseSize("512") == 512)
        #expect(
            CacheFlusher.parseSize("") == nil && CacheFlusher.parseSize("K") == nil
                && CacheFlusher.parseSize("x1K") == nil
        )
    }

    /// A sysfs-like tree as on this machine: L1d 48K, L1i 32K, L2 1M, L3 32M.
    @Test func findsTheLastLevelCache() throws {
        let root = TemporaryDirectory.uniqueURL(prefix: "assay-cache")
        defer { try? FileManager.default.removeItem(at: root) }
        for (index, level, type, size) in [
            (0, "1", "Data", "48K"), (1, "1", "Instruction", "32K"),
            (2, "2", "Unified", "1024K"), (3, "3", "Unified", "32768K"),
        ] {
            let directory = root.appendingPathComponent("index\(index)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "\(level)\n".write(to: directory.appendingPathComponent("level"), atomically: true, encoding: .utf8)
            try "\(type)\n".write(to: directory.appendingPathComponent("type"), atomically: true, encoding: .utf8)
            try "\(size)\n".write(to: directory.appendingPathComponent("size"), atomically: true, encoding: .utf8)
        }
        #expect(CacheFlusher.lastLevelCacheBytes(directory: root.path) == 32 << 20)
        #expect(CacheFlusher.lastLevelCacheBytes(directory: root.appendingPathComponent("missing").path) == nil)
    }

    @Test func defaultBufferIsTwiceTheLastLevelCacheOrTheFallback() {
        let flusher = CacheFlusher()
        if let llc = CacheFlusher.lastLevelCacheBytes() {
            #expect(flusher.byteCount == 2 * llc)
        } else {
            #expect(flusher.byteCount == CacheFlusher.fallbackByteCount)
        }
        let small = CacheFlusher(byteCount: 1 << 20)
        small.flush()
        small.flush()
        #expect(small.byteCount == 1 << 20)
    }
}
