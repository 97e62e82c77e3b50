import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import AssayProbe
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
    /// The folder holding Targets/ and Suites/.
    public var root: URL
    public var command: [String]
    /// Overrides every suite's performance time cap.
    public var timeCapSeconds: Double?
    /// Skips measuring ceilings for a target that declares none (its cases then have no roofline
    /// figures): a quick run, or one timed against another tool, need not spend the seconds.
    public var measuresCeilings: Bool
    /// Runs only the case ids matching this glob (`--case`).
    public var caseGlob: String?
    /// Where failing conformance cases' tensors go as .npy files (`--dump-tensors`).
    public var dumpDirectory: URL?

    public init(target: String, suites: [String], reportsRoot: URL, resume: URL? = nil, root: URL, command: [String],
                timeCapSeconds: Double? = nil, measuresCeilings: Bool = true, caseGlob: String? = nil, dumpDirectory: URL? = nil) {
        self.target = target; self.suites = suites; self.reportsRoot = reportsRoot; self.resume = resume
        self.root = root; self.command = command; self.timeCapSeconds = timeCapSeconds; self.measuresCeilings = measuresCeilings
        self.caseGlob = caseGlob; self.dumpDirectory = dumpDirectory
    }
}

/// Builds a RunSession: loads and validates inputs (or a resumed run's snapshots), starts the
/// backend, expands the cases, and prepares the run directory.
public enum RunSetup {
    public static let harnessVersion = "0.1.0"

    /// Resolves `id` or a path to a file under `folder`.
    public static func locate(_ name: String, folder: String, root: URL) -> URL {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            return URL(fileURLWithPath: name, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        }
        return root.appendingPathComponent(folder).appendingPathComponent("\(name).yaml")
    }

    public static func prepare(_ request: RunRequest, catalogue: OpCatalogue = .standard, progress: ProgressReporter,
                               makeBackend: (TargetDescriptor, URL) throws -> Backend) throws -> RunSession {
        let target: SourceSnapshot<TargetDescriptor>
        let suites: [SourceSnapshot<Suite>]
        var previous: RunRecord?
        if let resume = request.resume {
            let record = try RunRecord.load(contentsOf: resume.appendingPathComponent("run.json"))
            guard record.status != .complete else { throw InputError(file: resume.path, message: "this run is already complete; nothing to resume") }
            // A resumed run uses the exact inputs it started with, not today's files.
            target = SourceSnapshot(path: record.target.path, text: record.target.text,
                                    value: try TargetDescriptor.parse(text: record.target.text, file: record.target.path))
            suites = try record.suites.map {
                SourceSnapshot(path: $0.path, text: $0.text, value: try Suite.parse(text: $0.text, file: $0.path, validator: SuiteValidator(catalogue: catalogue)))
            }
            previous = record
        } else {
            let targetURL = locate(request.target, folder: "Targets", root: request.root)
            let (descriptor, text) = try TargetDescriptor.load(contentsOf: targetURL, displayName: relativePath(targetURL, root: request.root))
            target = SourceSnapshot(path: relativePath(targetURL, root: request.root), text: text, value: descriptor)
            suites = try request.suites.map { name in
                let url = locate(name, folder: "Suites", root: request.root)
                let path = relativePath(url, root: request.root)
                let (suite, text) = try Suite.load(contentsOf: url, displayName: path, validator: SuiteValidator(catalogue: catalogue))
                return SourceSnapshot(path: path, text: text, value: suite)
            }
        }
        var planned: [PlannedCase] = []
        for suite in suites {
            var cases = try SuiteExpander.expand(suite.value, catalogue: catalogue)
            if let cap = request.timeCapSeconds { for index in cases.indices { cases[index].performance.timeCapSeconds = cap } }
            planned += cases
        }
        // --case: a new run plans only the matching cases; a resumed run keeps its plan and runs
        // only the matching ones that are still missing.
        var selection: Set<CaseID>?
        if let glob = request.caseGlob {
            let matching = planned.filter { Glob.matches(pattern: glob, text: $0.id.description) }
            guard !matching.isEmpty else {
                throw InputError(file: "--case", message: "'\(glob)' matches none of the \(planned.count) planned cases (ids look like \(planned.first.map { $0.id.description } ?? "suite/op/shape/dtype"))")
            }
            if previous == nil { planned = matching } else { selection = Set(matching.map(\.id)) }
        }
        let directory = try request.resume ?? makeRunDirectory(root: request.reportsRoot, targetID: target.value.id)
        PluginStderrLog.shared.open(at: directory.appendingPathComponent("plugin.stderr.log"))
        let backend = try makeBackend(target.value, request.root)
        let identity = try backend.describe()
        var record = previous ?? RunRecord(runID: directory.lastPathComponent, harnessVersion: harnessVersion, command: request.command,
                                           target: target, suites: suites, environment: EnvironmentRecord(fingerprint: "", components: [:], facts: nil),
                                           backend: identity)
        record.backend = identity
        // A resumed run keeps the environment it started in; the checks below still read this machine.
        let probeSource = LiveProbeSource()
        let facts = previous?.environment.facts ?? SystemProbe(source: probeSource).probe()
        if previous == nil { record.environment = environment(facts: facts, backend: identity) }
        if record.clock == nil { record.clock = ClockCalibration.measure() }
        let declared = target.value.capabilities
        let expectations = target.value.expect ?? SystemExpectations()
        if request.measuresCeilings, planned.contains(where: { $0.kind == .performance }), record.measuredCeilings == nil,
           declared.peakTFLOPS.isEmpty || declared.memoryBandwidthGBs == nil {
            record.measuredCeilings = CeilingProbe.measure(backend: backend, identity: identity, catalogue: catalogue, progress: progress)
        }
        let performanceRunner = SampledPerformanceRunner(backend: backend, identity: identity, declared: declared, measured: record.measuredCeilings)
        return RunSession(directory: directory, record: record, planned: planned, selection: selection, dumpDirectory: request.dumpDirectory,
                          backend: backend, catalogue: catalogue,
                          waivers: WaiverPolicy(waivers: target.value.waivers), progress: progress,
                          performanceRunner: performanceRunner,
                          systemRunner: ProbeSystemRunner(
                              context: SystemCheckContext(
                                  facts: facts, source: probeSource, expectations: expectations,
                                  declared: declared, hostMemoryDeclared: target.value.kind != .accelerator, backendDevices: identity.devices),
                              device: DeviceCheckContext(backend: backend, identity: identity, expectations: expectations, declared: declared)))
    }

    /// Probes this machine and fingerprints it together with the backend's devices.
    static func environment(facts: SystemFacts = SystemProbe(source: LiveProbeSource()).probe(), backend: BackendIdentity) -> EnvironmentRecord {
        let devices = backend.devices.filter { $0.kind != "cpu" }.map {
            EnvironmentFingerprint.BackendDevice(name: $0.name, driver: $0.driver, runtime: $0.runtime)
        }
        let fingerprint = EnvironmentFingerprint(facts: facts, backendDevices: devices)
        return EnvironmentRecord(fingerprint: fingerprint.digest, components: fingerprint.componentMap, facts: facts)
    }

    static func relativePath(_ url: URL, root: URL) -> String {
        let rootPath = root.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }

    /// `Reports/<target>/<UTC timestamp>-<random>/`, with `Reports/<target>/latest` pointing at it.
    static func makeRunDirectory(root: URL, targetID: String) throws -> URL {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let runID = "\(formatter.string(from: Date()))-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let targetFolder = root.appendingPathComponent(targetID)
        let directory = targetFolder.appendingPathComponent(runID)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let latest = targetFolder.appendingPathComponent("latest")
        try? FileManager.default.removeItem(at: latest)
        try FileManager.default.createSymbolicLink(atPath: latest.path, withDestinationPath: runID)
        return directory
    }
}
