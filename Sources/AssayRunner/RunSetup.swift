import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import AssayPlanning
import AssayProbe
import AssayWorkspace
import Foundation

/// What the user asked `assay run` for.
public struct RunRequest: Sendable {
    /// A descriptor path, or an id looked up as `Targets/<id>.yaml`.
    public var target: String
    /// Suite paths or ids (`Suites/<id>.yaml`).
    public var suites: [String]
    /// Where `<target>/<run-id>/` folders go.
    public var reportsRoot: URL
    /// An existing run directory to continue.
    public var resume: URL?
    /// The workspace folder: plugin commands and `cwd` are resolved against it.
    public var root: URL
    public var command: [String]
    /// Overrides every suite's performance time cap.
    public var timeCapSeconds: Double?
    /// `--rounds`: overrides every suite's rounds per performance case.
    public var rounds: Int?
    /// Skips measuring ceilings for a target that declares none (its cases then have no roofline
    /// figures): a quick run, or one timed against another tool, need not spend the seconds.
    public var measuresCeilings: Bool
    /// `--memory-budget`: overrides every suite's `memory_budget` and the default.
    public var memoryBudget: MemoryBudget?
    /// Finds targets and suites by id; nil: the workspace `root`, then the built-ins.
    public var locator: ResourceLocator?
    /// `--waivers FILE`; nil: `Waivers/<target-id>.yaml` where `WaiverFileLocator` finds one.
    public var waivers: String?
    /// Runs only the case ids matching this glob (`--case`).
    /// `--case` globs: a case is selected when any of them matches; empty selects every case.
    public var caseGlobs: [String]
    /// Where failing conformance cases' tensors go as .npy files (`--dump-tensors`).
    public var dumpDirectory: URL?

    public init(
        target: String,
        suites: [String],
        reportsRoot: URL,
        resume: URL? = nil,
        root: URL,
        command: [String],
        timeCapSeconds: Double? = nil,
        measuresCeilings: Bool = true,
        memoryBudget: MemoryBudget? = nil,
        locator: ResourceLocator? = nil,
        waivers: String? = nil,
        rounds: Int? = nil,
        caseGlobs: [String] = [],
        dumpDirectory: URL? = nil
    ) {
        self.rounds = rounds
        self.target = target
        self.suites = suites
        self.reportsRoot = reportsRoot
        self.resume = resume
        self.root = root
        self.command = command
        self.timeCapSeconds = timeCapSeconds
        self.measuresCeilings = measuresCeilings
        self.memoryBudget = memoryBudget
        self.locator = locator
        self.waivers = waivers
        self.caseGlobs = caseGlobs
        self.dumpDirectory = dumpDirectory
    }
}

/// Builds a RunSession: loads and validates inputs (or a resumed run's snapshots), starts the
/// backend, expands the cases, and prepares the run directory.
public enum RunSetup {
    public static let harnessVersion = AssayVersion.current

    /// Validates the inputs, makes (or locks) the run directory, starts the backend and measures
    /// ceilings. A backend that cannot start leaves a run.json with status `failed-to-start` and
    /// the reason (and `latest` where it was), and the error is rethrown.
    public static func prepare(
        _ request: RunRequest,
        catalogue: OpCatalogue = .standard,
        progress: ProgressReporter,
        makeBackend: (TargetDescriptor, URL) throws -> Backend
    ) throws -> RunSession {
        let validator = SuiteValidator(catalogue: catalogue, budgetOverride: request.memoryBudget)
        let resumed = try request.resume.map { try openForResume($0, validator: validator) }
        let inputs = try loadInputs(request, resumed: resumed?.record, validator: validator)
        // The plugin's program and folder are fixed when the run starts and kept in the record,
        // so a resume from any directory starts the same plugin (older records: resolved now).
        var launched = inputs.target.value
        launched.backend = resumed?.record.resolvedBackend ?? inputs.target.value.backend.resolved(root: request.root)
        try TargetPreflight.check(launched, text: inputs.target.text, file: inputs.target.path, root: request.root)
        // A run that never started has nothing to continue but its inputs: it starts afresh in its folder.
        let previous = resumed?.record.status == .failedToStart ? nil : resumed?.record
        let (planned, selection) = try select(
            plan(inputs.suites, request: request, catalogue: catalogue),
            globs: request.caseGlobs,
            resuming: previous != nil
        )
        let (directory, lock) =
            try resumed.map { ($0.directory, $0.lock) }
            ?? RunDirectory.create(root: request.reportsRoot, targetID: inputs.target.value.id) {
                startingRecord(runID: $0, request: request, inputs: inputs)
            }
        PluginStderrLog.shared.open(at: directory.appendingPathComponent("plugin.stderr.log"))
        var record = previous ?? startingRecord(runID: directory.lastPathComponent, request: request, inputs: inputs)
        record.waivers = inputs.waiverFile
        if !inputs.target.value.waivers.isEmpty {
            progress.note(
                "warning: \(inputs.target.path): waivers inside the target descriptor are deprecated (they change the descriptor a "
                    + "certificate attests to); move them to \(WaiverFile.folder)/\(inputs.target.value.id).yaml with an owner and approver"
            )
        }
        // A failed start that is tried again keeps its history of failures.
        if previous == nil { record.events = resumed?.record.events }
        record.resolvedBackend = launched.backend
        let (backend, identity) = try startBackend(
            launched,
            root: request.root,
            record: &record,
            directory: directory,
            writesFailure: previous == nil,
            makeBackend: makeBackend
        )
        // A resumed run keeps the environment it started in; the checks below still read this machine.
        let probeSource = LiveProbeSource()
        let facts = previous?.environment.facts ?? SystemProbe(source: probeSource).probe()
        if previous == nil {
            record.environment = environment(facts: facts, backend: identity)
            record.startedAt = Date()
        }
        if record.clock == nil { record.clock = ClockCalibration.measure() }
        if request.measuresCeilings, planned.contains(where: { $0.kind == .performance }) {
            measureCeilings(
                into: &record,
                backend: backend,
                identity: identity,
                catalogue: catalogue,
                progress: progress
            )
        }
        return RunSession(
            directory: directory,
            lock: lock,
            becomesLatest: previous == nil,
            record: record,
            planned: planned,
            selection: selection,
            dumpDirectory: request.dumpDirectory,
            backend: backend,
            waivers: WaiverPolicy(waivers: (inputs.waiverFile?.value.waivers ?? []) + inputs.target.value.waivers),
            progress: progress,
            performanceRunner: SampledPerformanceRunner(
                backend: backend,
                identity: identity,
                declared: inputs.target.value.capabilities,
                measured: record.measuredCeilings
            ),
            systemRunner: systemRunner(
                target: inputs.target.value,
                backend: backend,
                identity: identity,
                facts: facts,
                source: probeSource
            )
        )
    }

    /// The run's inputs as snapshots: the target, its suites and its waiver file.
    struct RunInputs {
        var target: SourceSnapshot<TargetDescriptor>
        var suites: [SourceSnapshot<Suite>]
        var waiverFile: SourceSnapshot<WaiverFile>?
    }

    /// A resumed run's snapshotted inputs, or the files the request names, located and validated.
    static func loadInputs(_ request: RunRequest, resumed: RunRecord?, validator: SuiteValidator) throws -> RunInputs {
        if let resumed {
            if request.waivers != nil, let directory = request.resume {
                throw InputError(
                    file: directory.path,
                    field: "--waivers",
                    message:
                        "a resumed run keeps the waiver file it started with (snapshotted in run.json); start a new run to change waivers"
                )
            }
            return RunInputs(target: resumed.target, suites: resumed.suites, waiverFile: resumed.waivers)
        }
        let locator = locator(request)
        let targetFile = try locator.locate(request.target, kind: .target)
        let descriptor = try TargetDescriptor.parse(
            text: targetFile.text,
            file: targetFile.displayName,
            variables: targetFile.descriptorVariables(root: request.root)
        )
        let waiverFile = try WaiverFileLocator(locator: locator).locate(
            for: targetFile,
            targetID: descriptor.id,
            option: request.waivers
        )
        .map { SourceSnapshot(path: $0.displayName, text: $0.text, value: $0.file) }
        let suites = try request.suites.map { name in
            let file = try locator.locate(name, kind: .suite)
            let suite = try Suite.parse(text: file.text, file: file.displayName, validator: validator)
            return SourceSnapshot(path: file.displayName, text: file.text, value: suite)
        }
        return RunInputs(
            target: SourceSnapshot(path: targetFile.displayName, text: targetFile.text, value: descriptor),
            suites: suites,
            waiverFile: waiverFile
        )
    }

    /// The request's locator, or one for its root and the current directory.
    static func locator(_ request: RunRequest) -> ResourceLocator {
        request.locator ?? locator(root: request.root)
    }

    /// The locator for `root` and the current directory (no home folder).
    static func locator(root: URL) -> ResourceLocator {
        ResourceLocator(
            workspace: Workspace(
                root: root,
                home: nil,
                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            )
        )
    }

    /// Model cases find their graphs (Models/) where suites are found.
    static func graphs(_ request: RunRequest) -> GraphLocating {
        graphs(locator(request))
    }

    /// Graph files as `locator` finds them.
    static func graphs(_ locator: ResourceLocator) -> GraphLocating {
        { name in try locator.locate(name, kind: .model) }
    }

    /// Every suite's cases, with `--time-cap` and `--rounds` applied.
    static func plan(
        _ suites: [SourceSnapshot<Suite>],
        request: RunRequest,
        catalogue: OpCatalogue
    ) throws -> [PlannedCase] {
        var planned: [PlannedCase] = []
        for suite in suites {
            var cases = try SuiteExpander.expand(suite.value, catalogue: catalogue, graphs: graphs(request))
            if let cap = request.timeCapSeconds {
                for index in cases.indices { cases[index].adjustPerformance { $0.timeCapSeconds = cap } }
            }
            if let rounds = request.rounds {
                for index in cases.indices { cases[index].adjustPerformance { $0.rounds = rounds } }
            }
            planned += cases
        }
        return planned
    }

    /// `--case`: a new run plans only the matching cases; a resumed run keeps its plan and runs
    /// only the matching ones that are still missing (the selection).
    static func select(
        _ planned: [PlannedCase],
        globs: [String],
        resuming: Bool
    ) throws -> ([PlannedCase], Set<CaseID>?) {
        guard !globs.isEmpty else { return (planned, nil) }
        // Each glob must match something: a typo in one of several should not pass unnoticed.
        for glob in globs where !planned.contains(where: { Glob.matches(pattern: glob, text: $0.id.description) }) {
            throw InputError(
                file: "--case",
                message:
                    "'\(glob)' matches none of the \(planned.count) planned cases (ids look like \(planned.first.map { $0.id.description } ?? "suite/op/shape/dtype"))"
            )
        }
        let matching = planned.filter { planned in
            globs.contains { Glob.matches(pattern: $0, text: planned.id.description) }
        }
        return resuming ? (planned, Set(matching.map(\.id))) : (matching, nil)
    }

    /// The record a new run directory starts with, before the backend has answered.
    static func startingRecord(runID: String, request: RunRequest, inputs: RunInputs) -> RunRecord {
        RunRecord(
            runID: runID,
            harnessVersion: harnessVersion,
            command: request.command,
            target: inputs.target,
            suites: inputs.suites,
            environment: EnvironmentRecord(fingerprint: "", components: [:], facts: nil),
            backend: BackendIdentity(
                name: "(not started)",
                version: "",
                transport: inputs.target.value.backend.builtin == nil ? .plugin : .builtin,
                devices: [],
                timer: "",
                capabilities: [:]
            )
        )
    }

    /// Starts and describes the backend. A failure is recorded (status `failed-to-start`, the
    /// reason as a run event; run.json written when `writesFailure`) and rethrown as a `StartFailure`.
    static func startBackend(
        _ launched: TargetDescriptor,
        root: URL,
        record: inout RunRecord,
        directory: URL,
        writesFailure: Bool,
        makeBackend: (TargetDescriptor, URL) throws -> Backend
    ) throws -> (Backend, BackendIdentity) {
        let backend: Backend
        let identity: BackendIdentity
        do {
            backend = try makeBackend(launched, root)
            identity = try backend.describe()
        } catch {
            record.status = .failedToStart
            record.failure = "\(error)"
            record.events = (record.events ?? []) + [RunEvent(stage: .start, message: "\(error)")]
            if writesFailure { try RunDirectory.write(record, to: directory) }
            throw StartFailure(directory: directory, reason: error)
        }
        record.backend = identity
        // An interrupted run keeps its status until RunSession reopens the journal: a clean stop
        // means run.json's recorded head is the journal's last line (lines past it are refused).
        if record.status == .failedToStart { record.status = .running }
        record.failure = nil
        return (backend, identity)
    }

    /// Measures copy bandwidth and GEMM throughput when the target does not declare both and the
    /// run has none yet (a resumed run keeps its own); a failing probe becomes a run event.
    static func measureCeilings(
        into record: inout RunRecord,
        backend: Backend,
        identity: BackendIdentity,
        catalogue: OpCatalogue,
        progress: ProgressReporter
    ) {
        let declared = record.target.value.capabilities
        guard record.measuredCeilings == nil, declared.peakTFLOPS.isEmpty || declared.memoryBandwidthGBs == nil else {
            return
        }
        var events = record.events ?? []
        record.measuredCeilings = CeilingProbe.measure(
            backend: backend,
            identity: identity,
            catalogue: catalogue,
            progress: progress,
            events: &events
        )
        record.events = events.isEmpty ? nil : events
    }

    /// The system checks: probes of this machine against the target's expectations, and device
    /// checks through the backend.
    static func systemRunner(
        target: TargetDescriptor,
        backend: Backend,
        identity: BackendIdentity,
        facts: SystemFacts,
        source: LiveProbeSource
    ) -> ProbeSystemRunner {
        let expectations = target.expect ?? SystemExpectations()
        return ProbeSystemRunner(
            context: SystemCheckContext(
                facts: facts,
                source: source,
                expectations: expectations,
                declared: target.capabilities,
                hostMemoryDeclared: target.kind != .accelerator,
                backendDevices: identity.devices,
                declaredVersions: target.versionRules,
                backend: identity,
                harnessVersion: harnessVersion
            ),
            device: DeviceCheckContext(
                backend: backend,
                identity: identity,
                expectations: expectations,
                declared: target.capabilities,
                targetHasDevice: target.kind == .accelerator
            )
        )
    }

    /// A run directory to continue: locked, its record loaded, its inputs re-validated from the
    /// exact text it started with (not today's files).
    static func openForResume(
        _ directory: URL,
        validator: SuiteValidator
    ) throws -> (directory: URL, lock: RunLock, record: RunRecord) {
        let runJSON = directory.appendingPathComponent("run.json")
        guard FileManager.default.fileExists(atPath: runJSON.path) else {
            throw InputError(
                file: directory.path,
                message: "no run.json here: not a run directory; start a new run instead"
            )
        }
        // Locked before reading, so a run still writing this directory is never read half-way.
        let lock = try RunLock.acquire(directory)
        var record = try RunRecord.load(contentsOf: runJSON)
        guard record.status != .complete else {
            throw InputError(file: directory.path, message: "this run is already complete; nothing to resume")
        }
        record.target.value = try TargetDescriptor.parse(text: record.target.text, file: record.target.path)
        if let waivers = record.waivers {
            record.waivers?.value = try WaiverFile.parse(text: waivers.text, file: waivers.path)
        }
        for index in record.suites.indices {
            record.suites[index].value = try Suite.parse(
                text: record.suites[index].text,
                file: record.suites[index].path,
                validator: validator
            )
        }
        return (directory, lock, record)
    }

    /// Probes this machine and fingerprints it together with the backend's devices.
    static func environment(
        facts: SystemFacts = SystemProbe(source: LiveProbeSource()).probe(),
        backend: BackendIdentity
    ) -> EnvironmentRecord {
        let devices = backend.devices.filter { $0.kind != .cpu }.map {
            EnvironmentFingerprint.BackendDevice(name: $0.name, driver: $0.driver, runtime: $0.runtime)
        }
        let fingerprint = EnvironmentFingerprint(facts: facts, backendDevices: devices)
        return EnvironmentRecord(fingerprint: fingerprint.digest, components: fingerprint.componentMap, facts: facts)
    }
}
