import AssayCore

/// Decodes `/proc/sys/kernel/tainted` (Documentation/admin-guide/tainted-kernels.rst).
enum KernelTaint {
    /// Bit, letter printed in oops reports, and what it means.
    static let table: [(bit: Int, letter: String, name: String)] = [
        (0, "P", "proprietary module loaded"),
        (1, "F", "module force-loaded"),
        (2, "S", "kernel running on out-of-spec system"),
        (3, "R", "module force-unloaded"),
        (4, "M", "machine check exception"),
        (5, "B", "bad page referenced"),
        (6, "U", "taint requested by userspace"),
        (7, "D", "kernel died recently (oops or BUG)"),
        (8, "A", "ACPI table overridden"),
        (9, "W", "kernel issued a warning"),
        (10, "C", "staging driver loaded"),
        (11, "I", "platform firmware bug worked around"),
        (12, "O", "out-of-tree module loaded"),
        (13, "E", "unsigned module loaded"),
        (14, "L", "soft lockup occurred"),
        (15, "K", "kernel live-patched"),
        (16, "X", "auxiliary taint (distribution-defined)"),
        (17, "T", "built with struct randomization plugin"),
        (18, "N", "in-kernel test run"),
    ]

    static func decode(_ mask: Int) -> [SystemFacts.TaintFlag] {
        var flags = table.filter { mask & (1 << $0.bit) != 0 }
            .map { SystemFacts.TaintFlag(bit: $0.bit, letter: $0.letter, name: $0.name) }
        // Bits newer than this table are still reported, by number.
        for bit in (table.count)..<63 where mask & (1 << bit) != 0 {
            flags.append(SystemFacts.TaintFlag(bit: bit, letter: "?", name: "unknown taint bit \(bit)"))
        }
        return flags
    }
}
