import Foundation

/// What is under test and how to reach it (`Targets/<id>.yaml`). See docs/FORMATS.md.
public struct TargetDescriptor: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case accelerator, cpu, server, os }

    public var id: String
    public var title: String
    public var kind: Kind
    public var vendor: String?
    public var model: String?
    /// Free-form versions: driver, firmware, sdk, framework…
    public var versions: [String: String]
    public var backend: BackendSpec
    public var capabilities: DeclaredCapabilities
    public var expect: SystemExpectations?
    public var waivers: [Waiver]
    /// What `assay fleet submit` asks Slurm for (partition, gres…); nil: the cluster's defaults.
    public var slurm: SlurmOptions?

    public init(id: String, title: String, kind: Kind, vendor: String? = nil, model: String? = nil,
                versions: [String: String] = [:], backend: BackendSpec, capabilities: DeclaredCapabilities = .init(),
                expect: SystemExpectations? = nil, waivers: [Waiver] = [], slurm: SlurmOptions? = nil) {
        self.id = id; self.title = title; self.kind = kind; self.vendor = vendor; self.model = model
        self.versions = versions; self.backend = backend; self.capabilities = capabilities
        self.expect = expect; self.waivers = waivers; self.slurm = slurm
    }
}

/// How the harness reaches the backend: the built-in CPU backend, or a plugin command.
public struct BackendSpec: Codable, Sendable, Equatable {
    /// `cpu` for the native backend; nil for a plugin.
    public var builtin: String?
    /// Plugin argv (may start with `ssh host`).
    public var command: [String]?
    /// Used instead of `command` when its program is not found (e.g. an installed entry point
    /// first, the repository's script otherwise); see `resolved(root:environment:)`.
    public var fallbackCommand: [String]?
    public var env: [String: String]
    /// Working directory of the plugin, relative to the descriptor's repository root.
    public var cwd: String?
    /// Device string passed to the plugin in the handshake (`cuda`, `npu:0`…).
    public var device: String?
    public var handshakeTimeoutSeconds: Double
    public var requestTimeoutSeconds: Double
    public var maxRestarts: Int
    /// Worker threads for the native backend (nil: all cores).
    public var threads: Int?

    public init(builtin: String? = nil, command: [String]? = nil, env: [String: String] = [:], cwd: String? = nil,
                device: String? = nil, handshakeTimeoutSeconds: Double = 60, requestTimeoutSeconds: Double = 300,
                maxRestarts: Int = 3, threads: Int? = nil) {
        self.builtin = builtin; self.command = command; self.env = env; self.cwd = cwd; self.device = device
        self.handshakeTimeoutSeconds = handshakeTimeoutSeconds; self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxRestarts = maxRestarts; self.threads = threads
    }
}

/// What the vendor declares; checked against what is probed and measured, never silently replaced.
public struct DeclaredCapabilities: Codable, Sendable, Equatable {
    /// Peak dense throughput per dtype in TFLOP/s (TOP/s for integers).
    public var peakTFLOPS: [String: Double]
    public var memoryBandwidthGBs: Double?
    public var memoryGiB: Double?
    public var devices: Int?
    /// Host↔device interconnect bandwidth per direction, GB/s.
    public var hostLinkGBs: Double?

    public init(peakTFLOPS: [String: Double] = [:], memoryBandwidthGBs: Double? = nil, memoryGiB: Double? = nil,
                devices: Int? = nil, hostLinkGBs: Double? = nil) {
        self.peakTFLOPS = peakTFLOPS; self.memoryBandwidthGBs = memoryBandwidthGBs; self.memoryGiB = memoryGiB
        self.devices = devices; self.hostLinkGBs = hostLinkGBs
    }

    public func peakFLOPS(for dtype: DType) -> Double? { peakTFLOPS[dtype.rawValue].map { $0 * 1e12 } }
    public var bandwidthBytesPerSecond: Double? { memoryBandwidthGBs.map { $0 * 1e9 } }
}

/// What the system under test must look like; each item becomes a system check.
public struct SystemExpectations: Codable, Sendable, Equatable {
    /// Accepted os-release ids (any of).
    public var osIDs: [String]
    /// Required os-release VERSION_ID prefix.
    public var osVersion: String?
    public var minKernel: String?
    public var arch: String?
    public var modules: [String]
    public var deviceNodes: [String]
    public var cpuFlags: [String]
    public var accelerators: Int?
    public var minMemoryGiB: Double?
    public var hugepages: Int?
    /// `v1` or `v2`.
    public var cgroup: String?
    public var minGlibc: String?
    /// Host↔device copy bandwidth each way, GB/s (10⁹ bytes/s), measured through the backend.
    public var minHostDeviceGBs: Double?
    /// Total device memory as the backend reports it, GiB.
    public var minDeviceMemoryGiB: Double?

    public init(osIDs: [String] = [], osVersion: String? = nil, minKernel: String? = nil, arch: String? = nil,
                modules: [String] = [], deviceNodes: [String] = [], cpuFlags: [String] = [], accelerators: Int? = nil,
                minMemoryGiB: Double? = nil, hugepages: Int? = nil, cgroup: String? = nil, minGlibc: String? = nil,
                minHostDeviceGBs: Double? = nil, minDeviceMemoryGiB: Double? = nil) {
        self.osIDs = osIDs; self.osVersion = osVersion; self.minKernel = minKernel; self.arch = arch
        self.modules = modules; self.deviceNodes = deviceNodes; self.cpuFlags = cpuFlags
        self.accelerators = accelerators; self.minMemoryGiB = minMemoryGiB; self.hugepages = hugepages
        self.cgroup = cgroup; self.minGlibc = minGlibc
        self.minHostDeviceGBs = minHostDeviceGBs; self.minDeviceMemoryGiB = minDeviceMemoryGiB
    }
}

/// A known failure accepted for a while, with its reason and reference.
public struct Waiver: Codable, Sendable, Equatable {
    public enum Category: String, Codable, Sendable, CaseIterable {
        case knownBug = "known-bug"
        case hardwareLimit = "hardware-limit"
        case notApplicable = "not-applicable"
        case upstream
        case accuracyDeviation = "accuracy-deviation"
    }

    /// Glob over case ids: `*` any run of characters, `?` one character.
    public var pattern: String
    public var category: Category
    public var reference: String
    public var reason: String
    public var expires: Date

    public init(pattern: String, category: Category, reference: String, reason: String, expires: Date) {
        self.pattern = pattern; self.category = category; self.reference = reference; self.reason = reason; self.expires = expires
    }

    public func matches(_ caseID: String) -> Bool { Glob.matches(pattern: pattern, text: caseID) }
    public func isExpired(at date: Date) -> Bool { date >= expires }
}
