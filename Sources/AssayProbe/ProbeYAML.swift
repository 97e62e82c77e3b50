import AssayCore

/// Drafts a target descriptor (`Targets/<id>.yaml`) from probed facts, for
/// `assay targets probe`: identity guesses, versions, capabilities and an `expect:`
/// block a later run checks the machine against. Written by hand (AssayProbe does not
/// depend on Yams) with every string quoted where YAML could misread it.
public enum ProbeYAML {
    /// Loaded modules worth expecting: accelerator drivers, DRM and VFIO.
    public static let relevantModulePrefixes = [
        "nvidia", "amdgpu", "hydcu", "mtgpu", "cambricon", "iluvatar",
        "drv_davinci_intf", "drv_devmng", "drv_pcie_host",
    ]
    public static let relevantModules: Set<String> = ["drm", "vfio", "vfio_pci", "vfio_iommu_type1"]

    public static func render(_ facts: SystemFacts) -> String {
        let guess = TargetGuess(facts: facts)
        var out = Writer()
        out.comment("Target descriptor drafted by `assay targets probe` from this machine's probes.")
        out.comment("Review every value: declared capabilities are checked against probes on each run.")
        out.field("id", guess.id)
        out.field("title", guess.title)
        out.field("kind", guess.kind)
        out.field("vendor", guess.vendor)
        out.field("model", guess.model)

        out.section("versions")
        out.field("driver", driverVersion(facts), indent: 1)
        out.field("os", facts.os?.version ?? facts.os?.versionID, indent: 1)
        out.field("kernel", facts.kernel?.release, indent: 1)
        out.field("glibc", facts.glibcVersion, indent: 1)
        for tool in facts.toolchain ?? [] where tool.present {
            out.field(tool.name, tool.version, indent: 1)
        }

        out.comment("backend: add `builtin: cpu` or a plugin `command: [...]` here.")
        out.section("capabilities")
        if let memory = guess.memoryGiB {
            out.line("  memory_gib: \(YAMLScalar.number(memory))")
        } else {
            out.comment("memory_gib: unknown from probes; fill in the device memory.", indent: 1)
        }
        out.line("  devices: \(guess.devices)")

        out.section("expect")
        out.field("os_id", facts.os?.id, indent: 1)
        out.field("os_version", facts.os?.versionID, indent: 1)
        out.field("min_kernel", facts.kernel?.release.flatMap(minKernel), indent: 1)
        out.list("modules", relevantModules(facts), indent: 1)
        out.list("device_nodes", facts.deviceNodes ?? [], indent: 1)
        out.field("cgroup", facts.cgroupVersion.map { "v\($0)" }, indent: 1)
        if let total = facts.memory?.totalGiB {
            out.line("  min_memory_gib: \(Int(total.rounded(.down)))")
        }
        if let count = facts.memory?.hugePagesTotal, count > 0 {
            out.line("  hugepages:")
            out.line("    count: \(count)")
            if let size = facts.memory?.hugePageSizeKiB { out.line("    size_kib: \(size)") }
        }
        return out.text
    }

    /// The first version a vendor tool states (nvidia-smi's driver, npu-smi's header).
    static func driverVersion(_ facts: SystemFacts) -> String? {
        (facts.acceleratorTools ?? []).first { $0.present && $0.version != nil }?.version
    }

    /// The numeric head of a release: `5.15.0-105-generic` → `5.15.0`.
    static func minKernel(_ release: String) -> String? {
        VersionText.dottedNumber(release)
    }

    static func relevantModules(_ facts: SystemFacts) -> [String] {
        (facts.kernelModules ?? []).filter { name in
            relevantModules.contains(name) || relevantModulePrefixes.contains { name.hasPrefix($0) }
        }
    }

    /// Line-by-line YAML output with two-space indentation.
    struct Writer {
        private(set) var text = ""

        mutating func line(_ line: String) { text += line + "\n" }

        mutating func comment(_ comment: String, indent: Int = 0) {
            line(String(repeating: "  ", count: indent) + "# " + comment)
        }

        mutating func section(_ key: String) { line("\(key):") }

        /// Omitted when the value is unknown, so a parser never reads `null` as a version.
        mutating func field(_ key: String, _ value: String?, indent: Int = 0) {
            guard let value else { return }
            line(String(repeating: "  ", count: indent) + "\(key): " + YAMLScalar.string(value))
        }

        mutating func list(_ key: String, _ values: [String], indent: Int = 0) {
            guard !values.isEmpty else { return }
            let pad = String(repeating: "  ", count: indent)
            line(pad + "\(key):")
            for value in values { line(pad + "  - " + YAMLScalar.string(value)) }
        }
    }
}
