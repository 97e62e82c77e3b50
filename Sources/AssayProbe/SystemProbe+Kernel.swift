import AssayCore

extension SystemProbe {
    /// Kernel options worth recording: huge pages, NUMA, device passthrough and peer DMA.
    public static let kernelConfigKeys = [
        "CONFIG_HUGETLBFS", "CONFIG_TRANSPARENT_HUGEPAGE", "CONFIG_NUMA", "CONFIG_VFIO",
        "CONFIG_VFIO_PCI", "CONFIG_IOMMU_SUPPORT", "CONFIG_PCI_P2PDMA",
    ]

    func probeKernel() -> SystemFacts.Kernel? {
        let release =
            source.readTrimmed("/proc/sys/kernel/osrelease")
            ?? source.output(["uname", "-r"])?.trimmingWhitespace
        let version =
            source.readTrimmed("/proc/sys/kernel/version")
            ?? source.output(["uname", "-v"])?.trimmingWhitespace
        let tainted = source.readInt("/proc/sys/kernel/tainted")
        let (config, configSource) = kernelConfig(release: release)
        let kernel = SystemFacts.Kernel(
            release: release,
            version: version,
            config: config,
            configSource: configSource,
            tainted: tainted,
            taintFlags: tainted.map(KernelTaint.decode)
        )
        return kernel == SystemFacts.Kernel() ? nil : kernel
    }

    /// `/boot/config-<release>` when the distribution ships it; otherwise `/proc/config.gz`
    /// (CONFIG_IKCONFIG_PROC) through `zcat`, since Foundation has no gzip reader on Linux.
    func kernelConfig(release: String?) -> ([String: String]?, String?) {
        if let release, let text = source.readFile("/boot/config-\(release)") {
            return (Self.parseKernelConfig(text), "/boot/config-\(release)")
        }
        if source.fileExists("/proc/config.gz"), let text = source.output(["zcat", "/proc/config.gz"]) {
            return (Self.parseKernelConfig(text), "/proc/config.gz")
        }
        return (nil, nil)
    }

    /// The selected keys from a `.config`: `CONFIG_X=y|m|value`, or `n` for "is not set".
    static func parseKernelConfig(_ text: String) -> [String: String] {
        let wanted = Set(kernelConfigKeys)
        var result: [String: String] = [:]
        for line in text.lines {
            if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                let key = String(line.dropFirst(2).dropLast(" is not set".count))
                if wanted.contains(key) { result[key] = "n" }
            } else if let equals = line.firstIndex(of: "=") {
                let key = String(line[..<equals])
                if wanted.contains(key) {
                    result[key] = KeyValueText.unquote(String(line[line.index(after: equals)...]))
                }
            }
        }
        return result
    }
}
