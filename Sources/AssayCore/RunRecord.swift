import Foundation

/// The whole truth about one run (`run.json`): inputs with digests, environment, backend,
/// and every case with its raw samples. Schema-versioned; see docs/FORMATS.md.
public struct RunRecord: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public enum Status: String, Codable, Sendable {
        /// Every case ran.
        case complete
        /// Stopped early (Ctrl-C, or killed and not yet resumed); `--resume` continues it.
        case interrupted
        /// Being written.
        case running
        /// The backend never started (missing program, failed handshake) or the harness stopped
        /// before it did; `failure` says why. No case ran; `--resume` starts it again.
        case failedToStart = "failed-to-start"
    }

    public var schemaVersion: Int
    public var runID: String
    public var harnessVersion: String
    public var status: Status
    public var startedAt: Date
    public var finishedAt: Date?
    public var command: [String]
    public var target: SourceSnapshot<TargetDescriptor>
    public var suites: [SourceSnapshot<Suite>]
    public var environment: EnvironmentRecord
    public var backend: BackendIdentity
    public var clock: ClockInfo?
    /// Ceilings measured on the target when it declares none (STREAM-like copy, peak GEMM).
    public var measuredCeilings: MeasuredCeilings?
    /// Every planned case id, in order, so a reader can tell what is missing.
    public var plannedCases: [CaseID]
    public var cases: [CaseResult]
    /// Why the run failed to start (status `failed-to-start`).
    public var failure: String?
    /// Run-level events outside any case, oldest first (absent in older records).
    public var events: [RunEvent]?
    /// The backend as started: the plugin's program and working directory as absolute paths,
    /// chosen when the run started (`BackendSpec.resolved`); `--resume` uses it from any directory.
    public var resolvedBackend: BackendSpec?
    /// The journal's chain head when this file was written, and problems found in it on
    /// `--resume`; nil in records from a harness before the chain.
    public var journal: JournalState? = nil
    /// The waiver file the run applied, as it was when the run started, so `--resume` and
    /// `assay certify` see the same waivers; nil when there was none (and in older records).
    public var waivers: SourceSnapshot<WaiverFile>?

    public init(
        runID: String,
        harnessVersion: String,
        status: Status = .running,
        startedAt: Date = Date(),
        finishedAt: Date? = nil,
        command: [String] = [],
        target: SourceSnapshot<TargetDescriptor>,
        suites: [SourceSnapshot<Suite>],
        environment: EnvironmentRecord,
        backend: BackendIdentity,
        clock: ClockInfo? = nil,
        measuredCeilings: MeasuredCeilings? = nil,
        plannedCases: [CaseID] = [],
        cases: [CaseResult] = []
    ) {
        self.schemaVersion = RunRecord.currentSchemaVersion
        self.runID = runID
        self.harnessVersion = harnessVersion
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.command = command
        self.target = target
        self.suites = suites
        self.environment = environment
        self.backend = backend
        self.clock = clock
        self.measuredCeilings = measuredCeilings
        self.plannedCases = plannedCases
        self.cases = cases
    }

    /// Counts per outcome.
    public var outcomeCounts: [Outcome: Int] {
        cases.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }

    /// Reads a run record, refusing schema versions this harness does not understand.
    public static func load(contentsOf url: URL) throws -> RunRecord {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: url.path, message: "cannot read the run record")
        }
        struct VersionProbe: Decodable { var schemaVersion: Int? }
        let version = (try? RecordCoding.decoder().decode(VersionProbe.self, from: data))?.schemaVersion
        guard let version else {
            throw InputError(
                file: url.path,
                field: "schemaVersion",
                message: "not an Assay run record (no schemaVersion)"
            )
        }
        guard version <= currentSchemaVersion else {
            throw InputError(
                file: url.path,
                field: "schemaVersion",
                message: "schema version \(version) is newer than this harness understands (\(currentSchemaVersion))"
            )
        }
        do {
            return try RecordCoding.decoder().decode(RunRecord.self, from: data)
        } catch {
            throw InputError(file: url.path, message: "malformed run record: \(error)")
        }
    }
}

/// An input file as it was when the run started: its parsed form, exact text and digest.
public struct SourceSnapshot<Value: Codable & Sendable>: Codable, Sendable {
    public var path: String
    public var sha256: String
    public var text: String
    public var value: Value

    public init(path: String, text: String, value: Value) {
        self.path = path
        self.text = text
        self.value = value
        self.sha256 = Digest.sha256Hex(text)
    }
}

/// The system the run saw, and its fingerprint.
public struct EnvironmentRecord: Codable, Sendable {
    /// sha256 of the canonical environment components (see docs/FORMATS.md).
    public var fingerprint: String
    public var components: [String: String]
    public var facts: SystemFacts?

    public init(fingerprint: String, components: [String: String], facts: SystemFacts?) {
        self.fingerprint = fingerprint
        self.components = components
        self.facts = facts
    }
}

/// What the backend said about itself in the handshake.
public struct BackendIdentity: Codable, Sendable, Equatable {
    public struct Device: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        public var kind: DeviceKind?
        public var memoryBytes: Double?
        public var driver: String?
        public var runtime: String?
        public var maxClockMHz: Double?
        /// Where the device sits (hello `pci_bus_id`, `numa_node`; `numa_reason` when the
        /// plugin cannot tell the node): the host↔device table (docs/FORMATS.md).
        public var pciBusID: String?
        public var numaNode: Int?
        public var numaReason: String?
        public init(
            index: Int,
            name: String,
            kind: DeviceKind? = nil,
            memoryBytes: Double? = nil,
            driver: String? = nil,
            runtime: String? = nil,
            maxClockMHz: Double? = nil
        ) {
            self.index = index
            self.name = name
            self.kind = kind
            self.memoryBytes = memoryBytes
            self.driver = driver
            self.runtime = runtime
            self.maxClockMHz = maxClockMHz
        }
    }

    public var name: String
    public var version: String
    public var transport: BackendTransport
    public var protocolVersion: Int?
    public var devices: [Device]
    /// `host_monotonic`, `cuda_event`…
    public var timer: BackendTimer
    /// op → dtypes the backend claims.
    public var capabilities: CapabilityManifest
    public var runtime: [String: String]
    /// ABP 1.1: the plugin's minor version and the features agreed in the hello (nil from a 1.0 plugin).
    public var protocolMinor: Int?
    public var features: [String]?
    /// Ranks of a multi-rank target (nil: one process).
    public var ranks: Int?

    public init(
        name: String,
        version: String,
        transport: BackendTransport,
        protocolVersion: Int? = nil,
        devices: [Device],
        timer: BackendTimer,
        capabilities: CapabilityManifest,
        runtime: [String: String] = [:]
    ) {
        self.name = name
        self.version = version
        self.transport = transport
        self.protocolVersion = protocolVersion
        self.devices = devices
        self.timer = timer
        self.capabilities = capabilities
        self.runtime = runtime
    }

    public func supports(op: String, dtype: DType) -> Bool { capabilities.contains(op: op, dtype: dtype) }
}

/// Ceilings measured on the target itself, for a roofline when none are declared.
public struct MeasuredCeilings: Codable, Sendable, Equatable {
    /// Bytes/s of a STREAM-like copy and triad.
    public var copyBytesPerSecond: Double?
    public var triadBytesPerSecond: Double?
    /// FLOP/s of the peak-GEMM probe per dtype.
    public var gemmFLOPS: [String: Double]
    /// The rate of every trial, by probe (`copy`, `triad`, `gemm.f32`); each ceiling is the best.
    public var trials: [String: [Double]]? = nil
    /// Bytes of each copy/triad array, and the last-level cache they were sized against (STREAM: ≥ 4×).
    public var arrayBytes: Double? = nil
    public var lastLevelCacheBytes: Double? = nil
    public init(
        copyBytesPerSecond: Double? = nil,
        triadBytesPerSecond: Double? = nil,
        gemmFLOPS: [String: Double] = [:]
    ) {
        self.copyBytesPerSecond = copyBytesPerSecond
        self.triadBytesPerSecond = triadBytesPerSecond
        self.gemmFLOPS = gemmFLOPS
    }
}
