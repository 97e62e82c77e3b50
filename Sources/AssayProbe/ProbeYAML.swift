import AssayCore

/// Drafts a target descriptor (`Targets/<id>.yaml`) from probed facts, for
/// `assay targets probe`: identity guesses, versions, a backend, capabilities and an `expect:`
/// block a later run checks the machine against. The draft validates as a descriptor as it is.
/// Written by hand (AssayProbe does not depend on Yams) with every string quoted where YAML
/// could misread it.
public enum ProbeYAML {
    /// Loaded modules worth expecting: accelerator drivers, DRM and VFIO.
    public static let relevantModulePrefixes = [
        "nvidia", "amdgpu", "hydcu", "mtgpu", "cambricon", "iluvatar",
        "drv_davinci_intf", "drv_devmng", "drv_pcie_host",
    ]
    public static let relevantModules: Set<String> = ["drm", "vfio", "vfio_pci", "vfio_iommu_type1"]

    /// - Parameter backend: the backend to write; nil guesses one (`BackendDraft.guess`).
    public static func render(_ facts: SystemFacts, backend: BackendSpec? = nil) -> String {
        let guess = TargetGuess(facts: facts)
        var out = Writer()
        out.comment("Target descriptor drafted by `assay targets probe` from this machine's probes.")
        out.comment("Review every value: declared capabilities are checked against probes on each run.")
        out.field("id", guess.id)
        out.field("title", guess.title)
        out.field("kind", guess.kind)
        out.field("vendor", guess.vendor)
        out.field("model", guess.model)

        // Exactly what `versions_match` observes here, so the draft passes it on this machine
        // (os_id and os_version are in `expect:`).
        out.section("versions") { out in
            let observed = ObservedVersions(facts: facts, backend: nil, harnessVersion: nil)
            for key in observed.keys where key != "os_id" && key != "os_version" {
                out.field(key, observed[key]?.version, indent: 1)
            }
        }

        if backend == nil, guess.kind == "accelerator", guess.torchDevice == nil {
            out.comment(
                "No shipped plugin is known to drive this accelerator: replace with its plugin `command: [...]`."
            )
        }
        out.backend(backend ?? BackendDraft.guess(guess))
        out.section("capabilities") { out in
            // YAMLScalar.number keeps one decimal; below 0.05 it would write 0, which a descriptor refuses.
            if let memory = guess.memoryGiB, memory >= 0.05 {
                out.line("  memory_gib: \(YAMLScalar.number(memory))")
            } else {
                out.comment("memory_gib: unknown from probes; fill in the device memory.", indent: 1)
            }
            out.line("  devices: \(guess.devices)")
            if guess.kind == "accelerator" {
                out.comment("host_link_gbs: the host link per direction, e.g. 64 for PCIe Gen5 x16.", indent: 1)
            }
        }

        out.section("expect") { out in
            out.field("os_id", facts.os?.id, indent: 1)
            out.field("os_version", facts.os?.versionID, indent: 1)
            out.field("min_kernel", facts.kernel?.release.flatMap(minKernel), indent: 1)
            out.list("modules", relevantModules(facts), indent: 1)
            out.list("device_nodes", facts.deviceNodes ?? [], indent: 1)
            out.field("cgroup", facts.cgroupVersion.map { "v\($0)" }, indent: 1)
            if let total = facts.memory?.totalGiB, total >= 1 {
                out.line("  min_memory_gib: \(Int(total.rounded(.down)))")
            }
            if let count = facts.memory?.hugePagesTotal, count > 0 {
                // The check counts pages; their size is informative.
                out.line(
                    "  hugepages: \(count)" + (facts.memory?.hugePageSizeKiB.map { "  # pages of \($0) KiB" } ?? "")
                )
            }
            if guess.kind == "accelerator" {
                // Runtimes see a little less memory than the vendor tool reports (driver reservations).
                if let memory = guess.memoryGiB, memory >= 2 {
                    out.line("  min_device_memory_gib: \(Int((memory * 0.95).rounded(.down)))")
                }
                out.comment(
                    "min_host_device_gbs: the host↔device copy bandwidth to expect, e.g. 40 on PCIe Gen5 x16.",
                    indent: 1
                )
            }
        }
        return out.text
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

        /// `key:` and the lines `body` writes. A body without entries leaves only its comments:
        /// an empty section reads as null, which a descriptor refuses.
        mutating func section(_ key: String, _ body: (inout Writer) -> Void) {
            var inner = Writer()
            body(&inner)
            let entries = inner.text.split(separator: "\n").contains { !$0.drop { $0 == " " }.hasPrefix("#") }
            if entries { line("\(key):") }
            text += inner.text
        }

        /// Omitted when the value is unknown, so a parser never reads `null` as a version.
        mutating func field(_ key: String, _ value: String?, indent: Int = 0) {
            guard let value else { return }
            line(String(repeating: "  ", count: indent) + "\(key): " + YAMLScalar.string(value))
        }

        /// A backend section that reads back as `spec`; defaults are left out.
        mutating func backend(_ spec: BackendSpec) {
            let defaults = BackendSpec()
            line("backend:")
            field("builtin", spec.builtin, indent: 1)
            if let command = spec.command {
                line("  command: [" + command.map(YAMLScalar.string).joined(separator: ", ") + "]")
            }
            if let fallback = spec.fallbackCommand {
                line("  fallback_command: [" + fallback.map(YAMLScalar.string).joined(separator: ", ") + "]")
            }
            if !spec.env.isEmpty {
                line("  env:")
                for (key, value) in spec.env.sorted(by: { $0.key < $1.key }) {
                    line("    \(YAMLScalar.string(key)): \(YAMLScalar.quoted(value))")
                }
            }
            field("cwd", spec.cwd, indent: 1)
            field("device", spec.device, indent: 1)
            if spec.handshakeTimeoutSeconds != defaults.handshakeTimeoutSeconds
                || spec.requestTimeoutSeconds != defaults.requestTimeoutSeconds
            {
                line(
                    "  timeouts: {handshake_s: \(Self.seconds(spec.handshakeTimeoutSeconds)), request_s: \(Self.seconds(spec.requestTimeoutSeconds))}"
                )
            }
            if spec.maxRestarts != defaults.maxRestarts { line("  max_restarts: \(spec.maxRestarts)") }
            if let threads = spec.threads { line("  threads: \(threads)") }
        }

        /// Whole seconds without a fraction (`180`); others as Swift prints them (`0.5`).
        static func seconds(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }

        mutating func list(_ key: String, _ values: [String], indent: Int = 0) {
            guard !values.isEmpty else { return }
            let pad = String(repeating: "  ", count: indent)
            line(pad + "\(key):")
            for value in values { line(pad + "  - " + YAMLScalar.string(value)) }
        }
    }
}
