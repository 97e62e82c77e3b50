/// What the system probes found on one machine: OS, kernel, CPU, memory, NUMA, PCI devices,
/// drivers, device nodes, containers, toolchain and accelerator tools.
///
/// Produced by `AssayProbe.SystemProbe`; kept in Core because run records and reports carry it.
/// Every field is optional: a source that cannot be read leaves its field nil instead of
/// failing the probe, so a report can tell "unknown" apart from "absent".
public struct SystemFacts: Codable, Sendable, Equatable {
    /// Bumped when a field changes meaning; readers refuse what they do not know.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var hostname: String?
    public var os: OperatingSystem?
    public var kernel: Kernel?
    public var cpu: CPU?
    public var memory: Memory?
    public var numaNodes: [NUMANode]?
    /// Devices of interest only (display, 3D, processing accelerators, co-processors, network,
    /// NVMe, and anything from a known accelerator vendor); bridges and USB are left out.
    public var pciDevices: [PCIDevice]?
    /// Names of loaded kernel modules, sorted.
    public var kernelModules: [String]?
    /// Absolute paths such as `/dev/nvidia0`, `/dev/davinci0`, `/dev/dri/renderD128`, sorted.
    public var deviceNodes: [String]?
    /// 1 or 2.
    public var cgroupVersion: Int?
    /// `enforcing`, `permissive` or `disabled`; nil when nothing said.
    public var selinux: String?
    public var container: Container?
    public var glibcVersion: String?
    /// python3, gcc, clang: each recorded present (with version) or not present.
    public var toolchain: [Tool]?
    /// Vendor tools (nvidia-smi, npu-smi, cnmon, …): each recorded present or not present.
    public var acceleratorTools: [AcceleratorTool]?

    public init(
        schemaVersion: Int = SystemFacts.currentSchemaVersion,
        hostname: String? = nil,
        os: OperatingSystem? = nil,
        kernel: Kernel? = nil,
        cpu: CPU? = nil,
        memory: Memory? = nil,
        numaNodes: [NUMANode]? = nil,
        pciDevices: [PCIDevice]? = nil,
        kernelModules: [String]? = nil,
        deviceNodes: [String]? = nil,
        cgroupVersion: Int? = nil,
        selinux: String? = nil,
        container: Container? = nil,
        glibcVersion: String? = nil,
        toolchain: [Tool]? = nil,
        acceleratorTools: [AcceleratorTool]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.hostname = hostname
        self.os = os
        self.kernel = kernel
        self.cpu = cpu
        self.memory = memory
        self.numaNodes = numaNodes
        self.pciDevices = pciDevices
        self.kernelModules = kernelModules
        self.deviceNodes = deviceNodes
        self.cgroupVersion = cgroupVersion
        self.selinux = selinux
        self.container = container
        self.glibcVersion = glibcVersion
        self.toolchain = toolchain
        self.acceleratorTools = acceleratorTools
    }

    /// From `/etc/os-release`.
    public struct OperatingSystem: Codable, Sendable, Equatable {
        /// `ID`, e.g. `ubuntu`, `openEuler`, `kylin`.
        public var id: String?
        /// `VERSION_ID`, e.g. `22.04`, `V10`.
        public var versionID: String?
        /// `VERSION`, which carries the service pack where `VERSION_ID` does not,
        /// e.g. `22.03 (LTS-SP3)`, `V10 (Lance)`.
        public var version: String?
        public var prettyName: String?
        /// `ID_LIKE`, split on spaces.
        public var idLike: [String]?

        public init(
            id: String? = nil,
            versionID: String? = nil,
            version: String? = nil,
            prettyName: String? = nil,
            idLike: [String]? = nil
        ) {
            self.id = id
            self.versionID = versionID
            self.version = version
            self.prettyName = prettyName
            self.idLike = idLike
        }
    }

    public struct Kernel: Codable, Sendable, Equatable {
        /// `/proc/sys/kernel/osrelease`, e.g. `5.15.0-105-generic`.
        public var release: String?
        /// `/proc/sys/kernel/version`, e.g. `#115-Ubuntu SMP …`.
        public var version: String?
        /// Selected `CONFIG_*` options: `y`, `m`, `n` (explicitly "is not set") or a value.
        public var config: [String: String]?
        /// Where `config` came from: `/boot/config-<release>` or `/proc/config.gz`.
        public var configSource: String?
        /// Raw `/proc/sys/kernel/tainted`; volatile (a warning can set a bit at any time).
        public var tainted: Int?
        /// The set bits of `tainted`, decoded.
        public var taintFlags: [TaintFlag]?

        public init(
            release: String? = nil,
            version: String? = nil,
            config: [String: String]? = nil,
            configSource: String? = nil,
            tainted: Int? = nil,
            taintFlags: [TaintFlag]? = nil
        ) {
            self.release = release
            self.version = version
            self.config = config
            self.configSource = configSource
            self.tainted = tainted
            self.taintFlags = taintFlags
        }
    }

    /// One set bit of the kernel taint mask (Documentation/admin-guide/tainted-kernels.rst).
    public struct TaintFlag: Codable, Sendable, Equatable {
        public var bit: Int
        /// The letter the kernel prints in oops reports, e.g. `P`, `O`, `E`.
        public var letter: String
        public var name: String

        public init(bit: Int, letter: String, name: String) {
            self.bit = bit
            self.letter = letter
            self.name = name
        }
    }

    public struct CPU: Codable, Sendable, Equatable {
        /// `uname -m` style: `x86_64`, `aarch64`, `loongarch64`, `riscv64`.
        public var architecture: String?
        /// Display vendor: `Intel`, `AMD`, `Hygon`, `Zhaoxin`, `HiSilicon`, `Phytium`, `Loongson`…
        public var vendor: String?
        /// Raw identifier: x86 `vendor_id` (e.g. `HygonGenuine`) or Arm `CPU implementer` (`0x48`).
        public var vendorID: String?
        /// `model name`, or a name derived from the Arm part number (e.g. `Kunpeng 920`).
        public var modelName: String?
        /// Arm `CPU part` as printed (`0xd01`); the raw identity behind a derived model name.
        public var part: String?
        public var logicalCores: Int?
        public var physicalCores: Int?
        public var sockets: Int?
        /// Features of interest, canonical names: `avx2`, `avx512f`, `avx512_bf16`, `amx`,
        /// `neon`, `sve`, `sve2`, `lsx`, `lasx`.
        public var features: [String]?
        /// Every flag the kernel reported (`flags` on x86, `Features` on Arm/LoongArch).
        public var flags: [String]?
        /// `cpu MHz` of the first CPU at probe time; volatile.
        public var currentMHz: Double?
        /// `cpufreq/cpuinfo_max_freq` of cpu0.
        public var maxMHz: Double?

        public init(
            architecture: String? = nil,
            vendor: String? = nil,
            vendorID: String? = nil,
            modelName: String? = nil,
            part: String? = nil,
            logicalCores: Int? = nil,
            physicalCores: Int? = nil,
            sockets: Int? = nil,
            features: [String]? = nil,
            flags: [String]? = nil,
            currentMHz: Double? = nil,
            maxMHz: Double? = nil
        ) {
            self.architecture = architecture
            self.vendor = vendor
            self.vendorID = vendorID
            self.modelName = modelName
            self.part = part
            self.logicalCores = logicalCores
            self.physicalCores = physicalCores
            self.sockets = sockets
            self.features = features
            self.flags = flags
            self.currentMHz = currentMHz
            self.maxMHz = maxMHz
        }
    }

    /// From `/proc/meminfo` (KiB as the kernel reports them).
    public struct Memory: Codable, Sendable, Equatable {
        public var totalKiB: Int?
        /// Volatile.
        public var availableKiB: Int?
        public var hugePagesTotal: Int?
        /// Volatile.
        public var hugePagesFree: Int?
        public var hugePageSizeKiB: Int?
        /// The selected mode of `/sys/kernel/mm/transparent_hugepage/enabled`.
        public var transparentHugePages: String?

        public init(
            totalKiB: Int? = nil,
            availableKiB: Int? = nil,
            hugePagesTotal: Int? = nil,
            hugePagesFree: Int? = nil,
            hugePageSizeKiB: Int? = nil,
            transparentHugePages: String? = nil
        ) {
            self.totalKiB = totalKiB
            self.availableKiB = availableKiB
            self.hugePagesTotal = hugePagesTotal
            self.hugePagesFree = hugePagesFree
            self.hugePageSizeKiB = hugePageSizeKiB
            self.transparentHugePages = transparentHugePages
        }

        /// Total memory in GiB, for display and descriptors.
        public var totalGiB: Double? { totalKiB.map { Double($0) / 1_048_576 } }
    }

    /// From `/sys/devices/system/node/node<N>/{cpulist,meminfo}`.
    public struct NUMANode: Codable, Sendable, Equatable {
        public var id: Int
        /// As the kernel writes it, e.g. `0-23,48-71`.
        public var cpuList: String?
        public var cpuCount: Int?
        public var memTotalKiB: Int?

        public init(id: Int, cpuList: String? = nil, cpuCount: Int? = nil, memTotalKiB: Int? = nil) {
            self.id = id
            self.cpuList = cpuList
            self.cpuCount = cpuCount
            self.memTotalKiB = memTotalKiB
        }
    }

    /// From `/sys/bus/pci/devices/<address>/`.
    public struct PCIDevice: Codable, Sendable, Equatable {
        /// Domain:bus:device.function, e.g. `0000:18:00.0`.
        public var address: String
        /// Four lower-case hex digits, no `0x`: `10de`.
        public var vendorID: String?
        public var deviceID: String?
        public var vendorName: String?
        public var deviceName: String?
        /// Six lower-case hex digits (class, subclass, prog-if): `030200`.
        public var classCode: String?
        public var className: String?
        /// Basename of the `driver` symlink; nil when no driver is bound.
        public var driver: String?
        /// As sysfs writes it, e.g. `32.0 GT/s PCIe`.
        public var currentLinkSpeed: String?
        public var currentLinkWidth: Int?
        public var maxLinkSpeed: String?
        public var maxLinkWidth: Int?
        public var numaNode: Int?

        public init(
            address: String,
            vendorID: String? = nil,
            deviceID: String? = nil,
            vendorName: String? = nil,
            deviceName: String? = nil,
            classCode: String? = nil,
            className: String? = nil,
            driver: String? = nil,
            currentLinkSpeed: String? = nil,
            currentLinkWidth: Int? = nil,
            maxLinkSpeed: String? = nil,
            maxLinkWidth: Int? = nil,
            numaNode: Int? = nil
        ) {
            self.address = address
            self.vendorID = vendorID
            self.deviceID = deviceID
            self.vendorName = vendorName
            self.deviceName = deviceName
            self.classCode = classCode
            self.className = className
            self.driver = driver
            self.currentLinkSpeed = currentLinkSpeed
            self.currentLinkWidth = currentLinkWidth
            self.maxLinkSpeed = maxLinkSpeed
            self.maxLinkWidth = maxLinkWidth
            self.numaNode = numaNode
        }
    }

    public struct Container: Codable, Sendable, Equatable {
        /// True when any hint says this process runs inside a container.
        public var inContainer: Bool
        /// What said so: `/.dockerenv`, `/run/.containerenv`, `/proc/1/cgroup: docker`…
        public var hints: [String]
        /// docker, podman, containerd, isula: each present (with version) or not present.
        public var runtimes: [Tool]

        public init(inContainer: Bool, hints: [String] = [], runtimes: [Tool] = []) {
            self.inContainer = inContainer
            self.hints = hints
            self.runtimes = runtimes
        }
    }

    /// A command-line tool looked up on PATH; absent tools are recorded, not skipped.
    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var present: Bool
        public var version: String?

        public init(name: String, present: Bool, version: String? = nil) {
            self.name = name
            self.present = present
            self.version = version
        }

        /// The version, `present`, or `not present`, for reports.
        public var status: String { version ?? (present ? "present" : "not present") }
    }

    /// A vendor management tool (nvidia-smi, npu-smi, cnmon, xpu-smi, mthreads-gmi, hy-smi…).
    public struct AcceleratorTool: Codable, Sendable, Equatable {
        public var name: String
        public var present: Bool
        /// Driver/tool version where the output states it reliably.
        public var version: String?
        /// Parsed devices; only for tools whose output is machine-readable (nvidia-smi).
        public var devices: [AcceleratorDevice]
        /// The first lines of output, kept as evidence for tools we do not parse.
        public var rawHead: [String]?

        public init(
            name: String,
            present: Bool,
            version: String? = nil,
            devices: [AcceleratorDevice] = [],
            rawHead: [String]? = nil
        ) {
            self.name = name
            self.present = present
            self.version = version
            self.devices = devices
            self.rawHead = rawHead
        }
    }

    public struct AcceleratorDevice: Codable, Sendable, Equatable {
        public var index: Int?
        public var name: String
        public var memoryMiB: Int?
        public var driverVersion: String?
        public var pciBusID: String?

        public init(
            index: Int? = nil,
            name: String,
            memoryMiB: Int? = nil,
            driverVersion: String? = nil,
            pciBusID: String? = nil
        ) {
            self.index = index
            self.name = name
            self.memoryMiB = memoryMiB
            self.driverVersion = driverVersion
            self.pciBusID = pciBusID
        }
    }
}
