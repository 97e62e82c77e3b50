import Foundation

/// Evicts the CPU caches before a cold-mode sample by writing a buffer of at least twice
/// the last-level cache, untimed: after it the op's operands come from memory, as they
/// would on a first touch in a real workload.
///
/// Not thread-safe: one flusher per sampling thread.
public final class CacheFlusher {
    /// Used when sysfs does not tell the last-level cache size (non-Linux, containers).
    public static let fallbackByteCount = 64 << 20
    /// Bytes between writes: one per cache line touches every line.
    static let lineBytes = 64

    public let byteCount: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private var pass: UInt8 = 0

    /// A flusher over `byteCount` bytes; by default twice the last-level cache of cpu0,
    /// or `fallbackByteCount` when it cannot be read.
    public init(byteCount: Int? = nil) {
        let size = byteCount ?? Self.lastLevelCacheBytes().map { 2 * $0 } ?? Self.fallbackByteCount
        self.byteCount = Swift.max(size, Self.lineBytes)
        buffer = .allocate(byteCount: self.byteCount, alignment: Self.lineBytes)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { buffer.deallocate() }

    /// Writes one byte in every cache line of the buffer, a different value each pass, so
    /// every line is dirtied and the previous contents of the caches are evicted.
    public func flush() {
        pass &+= 1
        for offset in stride(from: 0, to: byteCount, by: Self.lineBytes) {
            buffer.storeBytes(of: pass, toByteOffset: offset, as: UInt8.self)
        }
    }

    /// Size in bytes of the highest-level data or unified cache listed under `directory`
    /// (Linux sysfs: `index*/level`, `index*/type`, `index*/size` such as "32768K"); nil when unreadable.
    public static func lastLevelCacheBytes(directory: String = "/sys/devices/system/cpu/cpu0/cache") -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var best: (level: Int, bytes: Int)?
        for entry in entries where entry.hasPrefix("index") {
            func read(_ name: String) -> String? {
                (try? String(contentsOfFile: "\(directory)/\(entry)/\(name)", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard read("type") != "Instruction", let level = read("level").flatMap({ Int($0) }),
                let bytes = read("size").flatMap(parseSize)
            else { continue }
            if best == nil || level > best!.level || (level == best!.level && bytes > best!.bytes) {
                best = (level, bytes)
            }
        }
        return best?.bytes
    }

    /// "48K" → 49152, "1M" → 1048576, "32768K", "512" (bytes); nil when malformed.
    public static func parseSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.uppercased().last else { return nil }
        let multiplier = units[last] ?? 1
        let digits = units[last] == nil ? Substring(text) : text.dropLast()
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }
}
