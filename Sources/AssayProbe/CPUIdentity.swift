/// Names for the CPU identifiers the kernel reports: x86 `vendor_id` strings and Arm
/// `CPU implementer`/`CPU part` codes (values as in arch/arm64 cputype.h; Phytium's as
/// in the kernels that support it).
enum CPUIdentity {
    static func x86Vendor(vendorID: String, modelName: String?) -> String {
        switch vendorID.trimmingWhitespace {
        case "GenuineIntel": return "Intel"
        case "AuthenticAMD": return "AMD"
        case "HygonGenuine": return "Hygon"
        case "Shanghai": return "Zhaoxin"
        case "CentaurHauls":
            // Zhaoxin parts also report Centaur's string; the model name tells them apart.
            return (modelName ?? "").uppercased().contains("ZHAOXIN") ? "Zhaoxin" : "Centaur"
        default: return vendorID.trimmingWhitespace
        }
    }

    static let armImplementers: [Int: String] = [
        0x41: "ARM", 0x42: "Broadcom", 0x43: "Cavium", 0x46: "Fujitsu", 0x48: "HiSilicon",
        0x4e: "NVIDIA", 0x50: "APM", 0x51: "Qualcomm", 0x61: "Apple", 0x70: "Phytium",
        0xc0: "Ampere",
    ]

    /// Keyed by implementer << 16 | part.
    static let armParts: [Int: String] = [
        0x41 << 16 | 0xd03: "Cortex-A53",
        0x41 << 16 | 0xd07: "Cortex-A57",
        0x41 << 16 | 0xd08: "Cortex-A72",
        0x41 << 16 | 0xd0c: "Neoverse N1",
        0x41 << 16 | 0xd40: "Neoverse V1",
        0x41 << 16 | 0xd49: "Neoverse N2",
        0x41 << 16 | 0xd4f: "Neoverse V2",
        0x48 << 16 | 0xd01: "Kunpeng 920",
        0x70 << 16 | 0x662: "FTC662",
        0x70 << 16 | 0x663: "FTC663",
        0x70 << 16 | 0x862: "FTC862",
        0xc0 << 16 | 0xac3: "AmpereOne",
    ]

    /// Parses `0x48`-style hex as the kernel prints it.
    static func hex(_ text: String?) -> Int? {
        guard let text = text?.trimmingWhitespace.lowercased() else { return nil }
        return Int(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16)
    }

    static func armModel(implementer: Int, part: Int?) -> String? {
        guard let part else { return nil }
        return armParts[implementer << 16 | part]
    }

    /// Canonical feature names and the kernel flags that imply them.
    static let featuresOfInterest: [(name: String, flags: [String])] = [
        ("avx2", ["avx2"]),
        ("avx512f", ["avx512f"]),
        ("avx512_bf16", ["avx512_bf16"]),
        ("avx512_fp16", ["avx512_fp16"]),
        ("amx", ["amx_tile", "amx_bf16", "amx_int8"]),
        ("neon", ["asimd", "neon"]),
        ("sve", ["sve"]),
        ("sve2", ["sve2"]),
        ("lsx", ["lsx"]),
        ("lasx", ["lasx"]),
    ]

    static func features(from flags: Set<String>) -> [String] {
        featuresOfInterest.filter { !flags.isDisjoint(with: $0.flags) }.map(\.name)
    }
}
