import Foundation

/// The most bytes one case may need in the harness (inputs, outputs and the float64 reference):
/// a case over it is refused when the suite is validated, before anything is allocated.
public struct MemoryBudget: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// Half of this machine's physical memory: room for the case plus the plugin's own copies.
    public static var standard: MemoryBudget {
        MemoryBudget(bytes: Int(clamping: ProcessInfo.processInfo.physicalMemory / 2))
    }

    /// `8589934592`, `512 MiB`, `8 GiB`, `1.5 TB`… (binary units for `KiB`…`TiB`, decimal for `KB`…`TB`); nil
    /// when the text is not a positive size.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [
            ("KiB", 0x1p10), ("MiB", 0x1p20), ("GiB", 0x1p30), ("TiB", 0x1p40),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
        ]
        var number = Substring(trimmed)
        var scale = 1.0
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            number = trimmed.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0,
            value * scale < 0x1p63
        else { return nil }
        bytes = Int(value * scale)
        guard bytes > 0 else { return nil }
    }

    /// `8.0 GiB`.
    public var description: String { MemoryBudget.format(bytes) }

    public static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[index])"
    }
}
