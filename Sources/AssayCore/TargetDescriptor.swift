import Foundation

/// What is under test and how to reach it (`Targets/<id>.yaml`). See docs/FORMATS.md.
public struct TargetDescriptor: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case accelerator, cpu, server, os }

    public var id: String
    public var title: String
    public var kind: Kind
    public var vendor: String?
    public var model: String?
    /// Declared versions by key (driver, firmware, sdk, framework, os…): the text, as labels
    /// and on the certificate. `versionRules` says how `versions_match` checks each.
    public var versions: [String: String]
    /// How each declared version is checked; nil in records from before `versions_match`
    /// (then every key is `exact`, see `versionRules`).
    public var declaredVersions: [String: DeclaredVersion]?
    public var backend: BackendSpec
    public var capabilities: DeclaredCapabilities
    public var expect: SystemExpectations?
    /// Deprecated: waivers belong in `Waivers/<id>.yaml` (`WaiverFile`); still applied, with a warning.
    public var waivers: [Waiver]
    /// What `assay fleet submit` asks Slurm for (partition, gres…); nil: the cluster's defaults.
    public var slurm: SlurmOptions?

    public init(
        id: String,
        title: String,
        kind: Kind,
        vendor: String? = nil,
        model: String? = nil,
        versions: [String: String] = [:],
        backend: BackendSpec,
        capabilities: DeclaredCapabilities = .init(),
        expect: SystemExpectations? = nil,
        waivers: [Waiver] = [],
        slurm: SlurmOptions? = nil
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.vendor = vendor
        self.model = model
        self.versions = versions
        self.backend = backend
        self.capabilities = capabilities
        self.expect = expect
        self.waivers = waivers
        self.slurm = slurm
    }

    /// The rule for every declared version: as written, else `exact` against the same key.
    public var versionRules: [String: DeclaredVersion] {
        versions.reduce(into: [:]) { rules, entry in
            rules[entry.key] = declaredVersions?[entry.key] ?? DeclaredVersion(rule: .exact(entry.value))
        }
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
    /// `options:` of the descriptor, sent in the hello's `options` beside `device` (nil: none).
    public var options: [String: String]?
    public var handshakeTimeoutSeconds: Double
    public var requestTimeoutSeconds: Double
    public var maxRestarts: Int
    /// Worker threads for the native backend (nil: all cores).
    public var threads: Int?
    /// One plugin process per rank (collectives); nil: one process.
    public var ranks: RankSpec?

    public init(
        builtin: String? = nil,
        command: [String]? = nil,
        env: [String: String] = [:],
        cwd: String? = nil,
        device: String? = nil,
        handshakeTimeoutSeconds: Double = 60,
        requestTimeoutSeconds: Double = 300,
        maxRestarts: Int = 3,
        threads: Int? = nil
    ) {
        self.builtin = builtin
        self.command = command
        self.env = env
        self.cwd = cwd
        self.device = device
        self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxRestarts = maxRestarts
        self.threads = threads
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
    /// Device↔device link bandwidth per direction, GB/s: what collectives' bus bandwidth is compared with.
    public var linkGBs: Double?
    /// Where the declared peaks come from (a datasheet or specification, by name or URL):
    /// required with `peak_tflops` or `memory_bandwidth_gbs`, shown beside every figure judged
    /// against them; nil in records from before it was asked for.
    public var source: String? = nil

    public init(
        peakTFLOPS: [String: Double] = [:],
        memoryBandwidthGBs: Double? = nil,
        memoryGiB: Double? = nil,
        devices: Int? = nil,
        hostLinkGBs: Double? = nil
    ) {
        self.peakTFLOPS = peakTFLOPS
        self.memoryBandwidthGBs = memoryBandwidthGBs
        self.memoryGiB = memoryGiB
        self.devices = devices
        self.hostLinkGBs = hostLinkGBs
    }

    public func peakFLOPS(for dtype: DType) -> Double? { peakTFLOPS[dtype.rawValue].map { $0 * 1e12 } }
    /// Whether the descriptor declares a ceiling a % of peak or of roofline can be judged against.
    public var declaresPeaks: Bool { !peakTFLOPS.isEmpty || memoryBandwidthGBs != nil }
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
    /// The burn-in of the `sustained_load` check (nil: its defaults, and nothing declared).
    public var sustainedLoad: SustainedLoadSpec?

    public init(
        osIDs: [String] = [],
        osVersion: String? = nil,
        minKernel: String? = nil,
        arch: String? = nil,
        modules: [String] = [],
        deviceNodes: [String] = [],
        cpuFlags: [String] = [],
        accelerators: Int? = nil,
        minMemoryGiB: Double? = nil,
        hugepages: Int? = nil,
        cgroup: String? = nil,
        minGlibc: String? = nil,
        minHostDeviceGBs: Double? = nil,
        minDeviceMemoryGiB: Double? = nil
    ) {
        self.osIDs = osIDs
        self.osVersion = osVersion
        self.minKernel = minKernel
        self.arch = arch
        self.modules = modules
        self.deviceNodes = deviceNodes
        self.cpuFlags = cpuFlags
        self.accelerators = accelerators
        self.minMemoryGiB = minMemoryGiB
        self.hugepages = hugepages
        self.cgroup = cgroup
        self.minGlibc = minGlibc
        self.minHostDeviceGBs = minHostDeviceGBs
        self.minDeviceMemoryGiB = minDeviceMemoryGiB
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
        /// The target flushes subnormal inputs or results to zero (FTZ/DAZ).
        case denormalFlush = "denormal-flush"
    }

    /// Glob over case ids: `*` any run of characters, `?` one character.
    public var pattern: String
    public var category: Category
    public var reference: String
    public var reason: String
    /// The last day (UTC) the waiver applies, as midnight UTC of that day: inclusive.
    public var expires: Date
    /// Who keeps the waiver and who approved it (required in a waiver file, absent in the
    /// deprecated waivers inside a descriptor).
    public var owner: String?
    public var approver: String?

    public init(
        pattern: String,
        category: Category,
        reference: String,
        reason: String,
        expires: Date,
        owner: String? = nil,
        approver: String? = nil
    ) {
        self.pattern = pattern
        self.category = category
        self.reference = reference
        self.reason = reason
        self.expires = expires
        self.owner = owner
        self.approver = approver
    }

    public func matches(_ caseID: String) -> Bool { Glob.matches(pattern: pattern, text: caseID) }
    /// Expired once its expiry day is over (UTC): a waiver expiring today still applies.
    public func isExpired(at date: Date) -> Bool { Waiver.isExpired(lastDay: expires, at: date) }

    static let day: TimeInterval = 86_400

    /// Shared with `WaiverNote`, so a run and a certificate agree on when a waiver ends.
    public static func isExpired(lastDay: Date, at date: Date) -> Bool { date >= lapse(of: lastDay) }

    /// The first instant a waiver no longer applies. `expires: 2027-03-31` is inclusive, so a
    /// date (midnight UTC) lapses at the end of that day; a time of day lapses then.
    public static func lapse(of expires: Date) -> Date {
        expires.timeIntervalSince1970.truncatingRemainder(dividingBy: day) == 0
            ? expires.addingTimeInterval(day) : expires
    }

    /// `2027-01-31`: how messages name an expiry day.
    public static func dayText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
