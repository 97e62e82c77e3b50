/// Names for the PCI vendor, device and class codes that matter to an adaptation lab.
///
/// A deliberately small table: vendors and classes as the PCI ID Repository (pci.ids)
/// names them, Ascend device ids as Huawei's own tools use them; unknown codes stay
/// as hex, never guessed.
enum PCIIDs {
    static let vendors: [String: String] = [
        "0014": "Loongson",
        "1000": "Broadcom / LSI",
        "1002": "AMD/ATI",
        "1022": "AMD",
        "10de": "NVIDIA",
        "144d": "Samsung",
        "14e4": "Broadcom",
        "15b3": "Mellanox",
        "19e5": "Huawei",
        "1a03": "ASPEED",
        "1af4": "Red Hat (virtio)",
        "1b36": "Red Hat (QEMU)",
        "1d0f": "Amazon",
        "1d17": "Zhaoxin",
        "1d22": "Baidu (Kunlun)",
        "1d94": "Hygon",
        "1da3": "Habana Labs",
        "1db7": "Phytium",
        "1e30": "Sophgo",
        "1e36": "Enflame",
        "1e3e": "Iluvatar CoreX",
        "1e52": "Tenstorrent",
        "1ec6": "Vastai",
        "1ed5": "Moore Threads",
        "8086": "Intel",
        "9999": "MetaX",
        "cabc": "Cambricon",
    ]

    /// Vendors whose display-class devices are compute accelerators rather than a BMC's VGA.
    static let acceleratorVendors: Set<String> = [
        "1002", "10de", "19e5", "1d22", "1d94", "1da3", "1e30", "1e36", "1e3e", "1e52", "1ec6",
        "1ed5", "9999", "cabc",
    ]

    /// Keyed by `vendor:device`.
    static let devices: [String: String] = [
        "10de:2330": "H100 SXM5 80GB",
        "19e5:d100": "Ascend 310",
        "19e5:d500": "Ascend 310P",
        "19e5:d801": "Ascend 910",
        "19e5:d802": "Ascend 910B",
        "1a03:2000": "ASPEED Graphics Family",
        "1d22:3684": "Kunlun AI Accelerator",
        "1ed5:0323": "MTT S4000",
        "cabc:0270": "MLU270-S4",
        "cabc:0370": "MLU370-S4",
    ]

    static let baseClasses: [Int: String] = [
        0x00: "Unclassified device", 0x01: "Mass storage controller", 0x02: "Network controller",
        0x03: "Display controller", 0x04: "Multimedia controller", 0x05: "Memory controller",
        0x06: "Bridge", 0x07: "Communication controller", 0x08: "Generic system peripheral",
        0x09: "Input device controller", 0x0a: "Docking station", 0x0b: "Processor",
        0x0c: "Serial bus controller", 0x0d: "Wireless controller", 0x0e: "Intelligent controller",
        0x0f: "Satellite communications controller", 0x10: "Encryption controller",
        0x11: "Signal processing controller", 0x12: "Processing accelerators",
        0x13: "Non-Essential Instrumentation", 0x40: "Coprocessor",
    ]

    static let subclasses: [Int: String] = [
        0x0104: "RAID bus controller", 0x0106: "SATA controller",
        0x0107: "Serial Attached SCSI controller", 0x0108: "Non-Volatile memory controller",
        0x0200: "Ethernet controller", 0x0207: "Infiniband controller", 0x0208: "Fabric controller",
        0x0300: "VGA compatible controller", 0x0302: "3D controller", 0x0380: "Display controller",
        0x0b40: "Co-processor", 0x1200: "Processing accelerators",
    ]

    /// Splits a sysfs class (`0x030200`) into base, subclass and programming interface.
    static func classParts(_ classCode: String) -> (base: Int, sub: Int, progIF: Int)? {
        guard let value = Int(classCode, radix: 16) else { return nil }
        return (value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff)
    }

    static func className(_ classCode: String) -> String? {
        guard let (base, sub, progIF) = classParts(classCode) else { return nil }
        if base == 0x01 && sub == 0x08 && progIF == 0x02 { return "Non-Volatile memory controller (NVMe)" }
        return subclasses[base << 8 | sub] ?? baseClasses[base]
    }

    /// Base classes an accelerator vendor's device may carry besides display and processing
    /// accelerator: unclassified, processor, signal processing, unassigned. Their bridges,
    /// USB and SATA controllers (Hygon and Huawei make whole SoCs) stay out.
    static let acceleratorVendorExtraClasses: Set<Int> = [0x00, 0x0b, 0x11, 0xff]

    /// Devices kept in `SystemFacts.pciDevices`: what runs or feeds AI work.
    static func isOfInterest(vendorID: String?, classCode: String?) -> Bool {
        guard let classCode, let (base, sub, _) = classParts(classCode) else { return false }
        if base == 0x02 || base == 0x03 || base == 0x12 || (base == 0x0b && sub == 0x40)
            || (base == 0x01 && sub == 0x08)
        {
            return true
        }
        return isAcceleratorVendor(vendorID) && acceleratorVendorExtraClasses.contains(base)
    }

    static func isAcceleratorVendor(_ vendorID: String?) -> Bool {
        vendorID.map { acceleratorVendors.contains($0) } ?? false
    }

    /// A compute accelerator: processing-accelerator or co-processor class, a 3D or
    /// non-VGA display controller (how data-centre GPUs present), or a display-class or
    /// oddly classed device of an accelerator vendor. A BMC's VGA (e.g. ASPEED) is not one.
    static func isAccelerator(vendorID: String?, classCode: String?) -> Bool {
        guard let classCode, let (base, sub, _) = classParts(classCode) else { return false }
        if base == 0x12 || (base == 0x0b && sub == 0x40) { return true }
        if base == 0x03 && (sub == 0x02 || sub == 0x80) { return true }
        return isAcceleratorVendor(vendorID) && (base == 0x03 || acceleratorVendorExtraClasses.contains(base))
    }
}
