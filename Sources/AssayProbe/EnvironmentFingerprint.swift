import AssayCore

/// A stable digest of what makes two environments comparable: the same digest means the
/// same OS release, kernel, CPU and accelerator stack, so their performance numbers may be
/// compared (the gate refuses different fingerprints unless asked).
///
/// Scheme `assay-env-v1`: the digest is the lower-case hex SHA-256 of the UTF-8 canonical
/// JSON (keys sorted, no whitespace, RFC 8785 string escapes, integers only, absent values
/// left out) of:
///
///     { "scheme": "assay-env-v1",
///       "os":     { "id", "versionID", "version" },              // os-release ID, VERSION_ID, VERSION
///       "kernel": { "release" },
///       "cpu":    { "architecture", "vendor", "model", "logicalCores" },
///       "accelerators": [ { "source", "name", "memoryMiB", "driver", "runtime" } ] }
///
/// - cpu `vendor` is the raw identifier (`GenuineIntel`, `0x48`), and `model` the kernel's
///   model name or, on Arm, the raw part number (`0xd01`): never a name from Assay's own
///   tables, so extending a table never changes a digest.
/// - accelerators come from vendor tools (one entry per parsed device, e.g. nvidia-smi:
///   name, memory, driver version; one entry per other present tool: its name and stated
///   version), from PCI (source `pci`, name `vendor:device` in hex, driver = bound kernel
///   driver), and from a backend handshake (source `backend`: name, driver, runtime),
///   sorted by their canonical text.
/// - Excluded as volatile or machine-specific: hostname, free memory, huge pages free,
///   current frequency, taint mask, PCI addresses, loaded modules, toolchain versions.
public struct EnvironmentFingerprint: Codable, Sendable, Equatable {
    public static let scheme = "assay-env-v1"

    /// A device as a backend's handshake describes it.
    public struct BackendDevice: Codable, Sendable, Equatable {
        public var name: String
        public var driver: String?
        public var runtime: String?

        public init(name: String, driver: String? = nil, runtime: String? = nil) {
            self.name = name
            self.driver = driver
            self.runtime = runtime
        }
    }

    public struct Accelerator: Codable, Sendable, Equatable {
        /// `nvidia-smi`, `npu-smi`, …, `pci` or `backend`.
        public var source: String
        public var name: String
        public var memoryMiB: Int?
        public var driver: String?
        public var runtime: String?

        public init(
            source: String,
            name: String,
            memoryMiB: Int? = nil,
            driver: String? = nil,
            runtime: String? = nil
        ) {
            self.source = source
            self.name = name
            self.memoryMiB = memoryMiB
            self.driver = driver
            self.runtime = runtime
        }

        var canonical: CanonicalJSON {
            .object([
                "source": .string(source), "name": .string(name), "memoryMiB": memoryMiB.map(CanonicalJSON.int),
                "driver": driver.map(CanonicalJSON.string), "runtime": runtime.map(CanonicalJSON.string),
            ])
        }
    }

    /// The values digested, in the order a report shows them.
    public struct Components: Codable, Sendable, Equatable {
        public var scheme: String
        public var osID: String?
        public var osVersionID: String?
        public var osVersion: String?
        public var kernelRelease: String?
        public var cpuArchitecture: String?
        public var cpuVendor: String?
        public var cpuModel: String?
        public var cpuLogicalCores: Int?
        /// Sorted by canonical text.
        public var accelerators: [Accelerator]

        public init(
            scheme: String = EnvironmentFingerprint.scheme,
            osID: String? = nil,
            osVersionID: String? = nil,
            osVersion: String? = nil,
            kernelRelease: String? = nil,
            cpuArchitecture: String? = nil,
            cpuVendor: String? = nil,
            cpuModel: String? = nil,
            cpuLogicalCores: Int? = nil,
            accelerators: [Accelerator] = []
        ) {
            self.scheme = scheme
            self.osID = osID
            self.osVersionID = osVersionID
            self.osVersion = osVersion
            self.kernelRelease = kernelRelease
            self.cpuArchitecture = cpuArchitecture
            self.cpuVendor = cpuVendor
            self.cpuModel = cpuModel
            self.cpuLogicalCores = cpuLogicalCores
            self.accelerators = accelerators.sorted {
                $0.canonical.text.utf8.lexicographicallyPrecedes($1.canonical.text.utf8)
            }
        }

        var canonical: CanonicalJSON {
            let string: (String?) -> CanonicalJSON? = { $0.map(CanonicalJSON.string) }
            return .object([
                "scheme": .string(scheme),
                "os": .object(["id": string(osID), "versionID": string(osVersionID), "version": string(osVersion)]),
                "kernel": .object(["release": string(kernelRelease)]),
                "cpu": .object([
                    "architecture": string(cpuArchitecture), "vendor": string(cpuVendor),
                    "model": string(cpuModel), "logicalCores": cpuLogicalCores.map(CanonicalJSON.int),
                ]),
                "accelerators": .array(accelerators.map(\.canonical)),
            ])
        }
    }

    public let components: Components
    /// The exact text that was hashed.
    public let canonicalJSON: String
    /// Lower-case hex SHA-256 of `canonicalJSON`.
    public let digest: String

    public init(components: Components) {
        self.components = components
        self.canonicalJSON = components.canonical.text
        self.digest = Digest.sha256Hex(canonicalJSON)
    }

    public init(facts: SystemFacts, backendDevices: [BackendDevice] = []) {
        self.init(components: Self.components(of: facts, backendDevices: backendDevices))
    }

    static func components(of facts: SystemFacts, backendDevices: [BackendDevice]) -> Components {
        var accelerators: [Accelerator] = []
        for tool in facts.acceleratorTools ?? [] where tool.present {
            if tool.devices.isEmpty {
                accelerators.append(Accelerator(source: tool.name, name: tool.name, driver: tool.version))
            }
            for device in tool.devices {
                accelerators.append(
                    Accelerator(
                        source: tool.name,
                        name: device.name,
                        memoryMiB: device.memoryMiB,
                        driver: device.driverVersion
                    )
                )
            }
        }
        let pciAccelerators = (facts.pciDevices ?? []).filter {
            PCIIDs.isAccelerator(vendorID: $0.vendorID, classCode: $0.classCode)
        }
        for device in pciAccelerators {
            let ids = "\(device.vendorID ?? "?"):\(device.deviceID ?? "?")"
            accelerators.append(Accelerator(source: "pci", name: ids, driver: device.driver))
        }
        for device in backendDevices {
            accelerators.append(
                Accelerator(
                    source: "backend",
                    name: device.name,
                    driver: device.driver,
                    runtime: device.runtime
                )
            )
        }
        let cpu = facts.cpu
        return Components(
            osID: facts.os?.id,
            osVersionID: facts.os?.versionID,
            osVersion: facts.os?.version,
            kernelRelease: facts.kernel?.release,
            cpuArchitecture: cpu?.architecture,
            cpuVendor: cpu?.vendorID ?? cpu?.vendor,
            cpuModel: cpu?.part ?? cpu?.modelName,
            cpuLogicalCores: cpu?.logicalCores,
            accelerators: accelerators
        )
    }

    /// Each component under a dotted name (`os.id`, `cpu.model`, `accelerators[0]`), nil
    /// where unknown, in report order; accelerators as one readable line each.
    var namedComponents: [(name: String, value: String?)] {
        let c = components
        var pairs: [(String, String?)] = [
            ("scheme", c.scheme), ("os.id", c.osID), ("os.versionID", c.osVersionID), ("os.version", c.osVersion),
            ("kernel.release", c.kernelRelease), ("cpu.architecture", c.cpuArchitecture),
            ("cpu.vendor", c.cpuVendor), ("cpu.model", c.cpuModel),
            ("cpu.logicalCores", c.cpuLogicalCores.map(String.init)),
        ]
        for (index, accelerator) in c.accelerators.enumerated() {
            let details = [
                accelerator.memoryMiB.map { "\($0) MiB" }, accelerator.driver.map { "driver \($0)" },
                accelerator.runtime.map { "runtime \($0)" },
            ].compactMap { $0 }
            pairs.append(
                (
                    "accelerators[\(index)]",
                    "\(accelerator.source): " + ([accelerator.name] + details).joined(separator: ", ")
                )
            )
        }
        return pairs
    }

    /// One row per component plus the digest, for a report's "environment" table.
    public var rows: [(component: String, value: String)] {
        namedComponents.map { ($0.name, $0.value ?? "unknown") } + [("digest", digest)]
    }

    /// The known components by dotted name, for `EnvironmentRecord.components`.
    public var componentMap: [String: String] {
        Dictionary(uniqueKeysWithValues: namedComponents.compactMap { pair in pair.value.map { (pair.name, $0) } })
    }
}
