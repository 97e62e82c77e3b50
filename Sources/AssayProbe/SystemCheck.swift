import AssayCore
import Foundation

/// The verdict of one system check: what was expected, what the probe saw.
public struct SystemCheckResult: Sendable, Equatable {
    public var outcome: Outcome
    public var expected: String
    public var observed: String
    public var message: String?

    /// `expected` of a check the target declares nothing for (docs/FORMATS.md).
    public static let notDeclared = "(not declared)"

    /// `observed` when nothing is expected (the reading is information, not a pass); else pass
    /// when the expectation holds, fail when it does not.
    public static func verdict(_ expected: String?, observed: String, holds: Bool) -> SystemCheckResult {
        guard let expected else {
            return SystemCheckResult(outcome: .observed, expected: notDeclared, observed: observed, message: nil)
        }
        return SystemCheckResult(
            outcome: holds ? .pass : .fail,
            expected: expected,
            observed: observed,
            message: holds ? nil : "expected \(expected), observed \(observed)"
        )
    }
}

/// A system check compares one probe with the target's expectations or declared capabilities.
/// A check the target declares nothing for is `observed`: it records what the probe saw, so
/// every probe lands in the run record, without claiming a pass; a mismatch is a finding,
/// never a silent overwrite.
public struct SystemCheck: Sendable {
    public let name: String
    public let summary: String
    let evaluate: @Sendable (SystemCheckContext) -> SystemCheckResult

    /// Every check, by the name a suite uses (`check: os_id`).
    public static let all: [SystemCheck] = [
        SystemCheck(name: "os_id", summary: "os-release ID is one of the expected distributions") { context in
            let observed = context.facts.os?.id ?? "unknown"
            let expected = context.expectations.osIDs
            return context.verdict(
                expected.isEmpty ? nil : "one of " + expected.joined(separator: ", "),
                observed: observed,
                holds: expected.contains(observed)
            )
        },
        SystemCheck(name: "os_version", summary: "os-release VERSION_ID starts with the expected version") { context in
            let observed = context.facts.os?.versionID ?? "unknown"
            let expected = context.expectations.osVersion
            return context.verdict(expected, observed: observed, holds: expected.map { observed.hasPrefix($0) } ?? true)
        },
        SystemCheck(name: "kernel", summary: "kernel release is at least the minimum") { context in
            let observed = context.facts.kernel?.release ?? "unknown"
            let minimum = context.expectations.minKernel
            return context.verdict(
                minimum.map { "≥ \($0)" },
                observed: observed,
                holds: minimum.map { VersionOrder.atLeast(observed, $0) } ?? true
            )
        },
        SystemCheck(name: "arch", summary: "CPU architecture") { context in
            let observed = context.facts.cpu?.architecture ?? "unknown"
            return context.verdict(
                context.expectations.arch,
                observed: observed,
                holds: context.expectations.arch.map { $0 == observed } ?? true
            )
        },
        SystemCheck(name: "kernel_modules", summary: "required kernel modules are loaded") { context in
            let loaded = Set(context.facts.kernelModules ?? [])
            let missing = context.expectations.modules.filter { !loaded.contains($0) }
            return context.verdict(
                context.expectations.modules.isEmpty ? nil : context.expectations.modules.joined(separator: ", "),
                observed: missing.isEmpty
                    ? "\(loaded.count) modules loaded" : "missing: " + missing.joined(separator: ", "),
                holds: missing.isEmpty
            )
        },
        SystemCheck(name: "device_nodes", summary: "required device nodes exist") { context in
            let missing = context.expectations.deviceNodes.filter { !context.source.fileExists($0) }
            let present = context.facts.deviceNodes ?? []
            return context.verdict(
                context.expectations.deviceNodes.isEmpty
                    ? nil : context.expectations.deviceNodes.joined(separator: ", "),
                observed: missing.isEmpty
                    ? (present.isEmpty ? "none of interest" : present.joined(separator: ", "))
                    : "missing: " + missing.joined(separator: ", "),
                holds: missing.isEmpty
            )
        },
        SystemCheck(name: "cpu_flags", summary: "required CPU features are present") { context in
            let flags = Set((context.facts.cpu?.flags ?? []) + (context.facts.cpu?.features ?? []))
            let missing = context.expectations.cpuFlags.filter { !flags.contains($0) }
            return context.verdict(
                context.expectations.cpuFlags.isEmpty ? nil : context.expectations.cpuFlags.joined(separator: ", "),
                observed: missing.isEmpty
                    ? (context.facts.cpu?.features ?? []).joined(separator: ", ")
                    : "missing: " + missing.joined(separator: ", "),
                holds: missing.isEmpty
            )
        },
        SystemCheck(
            name: "accelerators",
            summary: "PCI compute accelerators: at least the expected count, and the declared count"
        ) { context in
            let devices = (context.facts.pciDevices ?? []).filter {
                PCIIDs.isAccelerator(vendorID: $0.vendorID, classCode: $0.classCode)
            }
            let observed =
                devices.isEmpty
                ? "0"
                : "\(devices.count): "
                    + devices.map {
                        "\($0.vendorName ?? $0.vendorID ?? "?") \($0.deviceName ?? $0.deviceID ?? "?") (\($0.driver ?? "no driver"))"
                    }.joined(separator: "; ")
            let minimum = context.expectations.accelerators
            return context.verdict(
                minimum.map { "≥ \($0)" },
                observed: observed,
                holds: minimum.map { devices.count >= $0 } ?? true
            )
        },
        SystemCheck(
            name: "memory",
            summary: "host memory is at least the expected minimum and matches the declared size"
        ) { context in
            guard let total = context.facts.memory?.totalGiB else {
                return context.verdict("memory readable", observed: "unknown", holds: false)
            }
            let observed = String(format: "%.1f GiB", total)
            if let minimum = context.expectations.minMemoryGiB, total < minimum {
                return context.verdict(String(format: "≥ %.1f GiB", minimum), observed: observed, holds: false)
            }
            // A cpu/server target declares host memory; declared 64 GiB probing as 32 GiB is a finding.
            // The kernel reserves some memory, so MemTotal may sit a few percent below the installed size.
            if context.hostMemoryDeclared, let declared = context.declared.memoryGiB, total < declared * 0.9 {
                return context.verdict(String(format: "declared %.1f GiB", declared), observed: observed, holds: false)
            }
            var compared = context.expectations.minMemoryGiB.map { [String(format: "≥ %.1f GiB", $0)] } ?? []
            if context.hostMemoryDeclared, let declared = context.declared.memoryGiB {
                compared.append(String(format: "declared %.1f GiB", declared))
            }
            return context.verdict(
                compared.isEmpty ? nil : compared.joined(separator: ", "),
                observed: observed,
                holds: true
            )
        },
        SystemCheck(name: "hugepages", summary: "at least the expected number of huge pages are configured") {
            context in
            let total = context.facts.memory?.hugePagesTotal ?? 0
            let size = context.facts.memory?.hugePageSizeKiB.map { " × \($0) KiB" } ?? ""
            let expected = context.expectations.hugepages
            return context.verdict(
                expected.map { "≥ \($0)" },
                observed: "\(total)\(size)",
                holds: expected.map { total >= $0 } ?? true
            )
        },
        SystemCheck(name: "cgroup", summary: "cgroup version") { context in
            let observed = context.facts.cgroupVersion.map { "v\($0)" } ?? "unknown"
            return context.verdict(
                context.expectations.cgroup,
                observed: observed,
                holds: context.expectations.cgroup.map { $0 == observed } ?? true
            )
        },
        SystemCheck(name: "glibc", summary: "glibc is at least the minimum version") { context in
            let observed = context.facts.glibcVersion ?? "unknown"
            let minimum = context.expectations.minGlibc
            return context.verdict(
                minimum.map { "≥ \($0)" },
                observed: observed,
                holds: minimum.map { VersionOrder.atLeast(observed, $0) } ?? true
            )
        },
        SystemCheck(
            name: "backend_devices",
            summary: "the backend reports the declared number of devices and device memory"
        ) { context in
            let devices = context.backendDevices
            let observed =
                devices.isEmpty
                ? "none"
                : devices.map { device in
                    device.name + (device.memoryBytes.map { String(format: " %.1f GiB", $0 / 1_073_741_824) } ?? "")
                        + (device.driver.map { " driver \($0)" } ?? "")
                }.joined(separator: "; ")
            var expectations: [String] = []
            var holds = true
            // A CPU backend reports one device for the host; the declared count is about
            // accelerators, so a host target's count is not compared (and not claimed as checked).
            if !context.hostMemoryDeclared, let declared = context.declared.devices {
                expectations.append("\(declared) device(s)")
                holds = holds && devices.count >= declared
            }
            if !context.hostMemoryDeclared, let declaredMemory = context.declared.memoryGiB {
                expectations.append(String(format: "%.0f GiB each", declaredMemory))
                let probed = devices.compactMap(\.memoryBytes).map { $0 / 1_073_741_824 }
                holds = holds && !probed.isEmpty && probed.allSatisfy { $0 >= declaredMemory * 0.9 }
            }
            return context.verdict(
                expectations.isEmpty ? nil : expectations.joined(separator: ", "),
                observed: observed,
                holds: holds
            )
        },
        SystemCheck(
            name: "versions_match",
            summary: "every declared version matches what the backend reports or the probes observe"
        ) { context in
            versionsMatch(context)
        },
    ]

    /// Each declared version against the observed one it names, by its rule; a declared version
    /// nothing reports is a failure too (it cannot be certified as checked).
    static func versionsMatch(_ context: SystemCheckContext) -> SystemCheckResult {
        let observed = ObservedVersions(
            facts: context.facts,
            backend: context.backend,
            harnessVersion: context.harnessVersion
        )
        let declared = context.declaredVersions.sorted { $0.key < $1.key }
        guard !declared.isEmpty else {
            let seen = observed.keys.map { "\($0) \(observed[$0]!.version)" }.joined(separator: "; ")
            return SystemCheckResult.verdict(nil, observed: seen.isEmpty ? "none" : seen, holds: true)
        }
        var seen: [String] = []
        var problems: [String] = []
        for (key, version) in declared {
            let source = version.from ?? key
            let label = source == key ? key : "\(key) (from \(source))"
            guard let entry = observed[source] else {
                seen.append("\(label) not reported")
                problems.append(
                    "\(label): declared \(version.rule.description), but neither the backend nor the probes report '\(source)' "
                        + "(reported: \(observed.keys.joined(separator: ", "))); name one with `from:`"
                )
                continue
            }
            seen.append("\(label) \(entry.version)")
            if !version.rule.matches(entry.version) {
                problems.append(
                    "\(label): declared \(version.rule.description), observed \(entry.version) (\(entry.source))"
                )
            }
        }
        let expected = declared.map { "\($0.key) \($0.value.rule.description)" }.joined(separator: "; ")
        return SystemCheckResult(
            outcome: problems.isEmpty ? .pass : .fail,
            expected: expected,
            observed: seen.joined(separator: "; "),
            message: problems.isEmpty ? nil : problems.joined(separator: "; ")
        )
    }

    public static func named(_ name: String) -> SystemCheck? { all.first { $0.name == name } }
    public static var names: [String] { all.map(\.name) }

    public func run(_ context: SystemCheckContext) -> SystemCheckResult { evaluate(context) }
}

/// What a check reads: the probed facts, the probe source (for paths not probed up front),
/// the target's expectations and declared capabilities, and the backend's devices.
public struct SystemCheckContext: Sendable {
    public var facts: SystemFacts
    public var source: any ProbeSource
    public var expectations: SystemExpectations
    public var declared: DeclaredCapabilities
    /// True for cpu/server/os targets, whose declared memory is the host's.
    public var hostMemoryDeclared: Bool
    public var backendDevices: [BackendIdentity.Device]
    /// The target's declared versions with their rules, and what reports versions: the
    /// backend's handshake and the harness (`versions_match`).
    public var declaredVersions: [String: DeclaredVersion]
    public var backend: BackendIdentity?
    public var harnessVersion: String?

    public init(
        facts: SystemFacts,
        source: any ProbeSource,
        expectations: SystemExpectations,
        declared: DeclaredCapabilities,
        hostMemoryDeclared: Bool,
        backendDevices: [BackendIdentity.Device],
        declaredVersions: [String: DeclaredVersion] = [:],
        backend: BackendIdentity? = nil,
        harnessVersion: String? = nil
    ) {
        self.facts = facts
        self.source = source
        self.expectations = expectations
        self.declared = declared
        self.hostMemoryDeclared = hostMemoryDeclared
        self.backendDevices = backendDevices
        self.declaredVersions = declaredVersions
        self.backend = backend
        self.harnessVersion = harnessVersion
    }

    func verdict(_ expected: String?, observed: String, holds: Bool) -> SystemCheckResult {
        SystemCheckResult.verdict(expected, observed: observed, holds: holds)
    }
}

/// Numeric comparison of dotted versions (`5.10.0-60.18` ≥ `5.10`), ignoring non-numeric suffixes.
public enum VersionOrder {
    public static func atLeast(_ version: String, _ minimum: String) -> Bool {
        let have = VersionNumber.components(version)
        guard !have.isEmpty else { return false }
        return VersionNumber.compare(have, VersionNumber.components(minimum)) >= 0
    }
}
