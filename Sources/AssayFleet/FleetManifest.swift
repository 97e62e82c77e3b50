import AssayCore
import Foundation

/// `fleet.json`: everything needed to inspect, resume and collect a fleet from any login node
/// that sees the shared folders. Written only by `assay fleet submit`. See docs/FLEET.md.
public struct FleetManifest: Codable, Sendable {
    public static let currentFormat = "assay-fleet/1"

    public var format: String
    public var id: String
    public var createdAt: Date
    /// `local` or `slurm`; a resume uses the same.
    public var executor: String
    /// Where every job starts (the workspace that was current at submission).
    public var workingDirectory: String
    /// The `assay` binary the jobs run.
    public var assay: String
    /// The shared root for run directories.
    public var reportsRoot: String
    public var suites: [String]
    /// Profile each finished run is certified against (with the workspace's station key).
    public var profile: String?
    public var timeCapSeconds: Double?
    /// How many submissions there were (the first, then one per resume); names the array scripts.
    public var rounds: Int
    public var targets: [FleetTarget]

    public init(
        id: String,
        executor: String,
        workingDirectory: String,
        assay: String,
        reportsRoot: String,
        suites: [String],
        profile: String?,
        timeCapSeconds: Double?,
        targets: [FleetTarget],
        createdAt: Date = Date()
    ) {
        format = Self.currentFormat
        self.id = id
        self.createdAt = createdAt
        self.executor = executor
        self.workingDirectory = workingDirectory
        self.assay = assay
        self.reportsRoot = reportsRoot
        self.suites = suites
        self.profile = profile
        self.timeCapSeconds = timeCapSeconds
        rounds = 0
        self.targets = targets
    }
}

/// One target of a fleet and the jobs that have run it.
public struct FleetTarget: Codable, Sendable {
    public var id: String
    /// What the job passes to `assay run --target`: an absolute path, or a built-in id.
    public var source: String
    /// How errors name the descriptor (`Targets/x.yaml`, `builtin:Targets/local-cpu.yaml`).
    public var descriptorPath: String
    public var slurm: SlurmOptions?
    /// Every submission of this target, oldest first; the last is the current one.
    public var attempts: [FleetAttempt]

    public init(id: String, source: String, descriptorPath: String, slurm: SlurmOptions?, attempts: [FleetAttempt] = [])
    {
        self.id = id
        self.source = source
        self.descriptorPath = descriptorPath
        self.slurm = slurm
        self.attempts = attempts
    }
}

/// One job that ran (or runs) a target.
public struct FleetAttempt: Codable, Sendable, Equatable {
    /// The executor's id: `1234_0` for a Slurm array task, `local-<round>-<index>` here.
    public var jobID: String
    public var submittedAt: Date
    /// The run directory this job continues; nil for a fresh run.
    public var resumes: String?

    public init(jobID: String, submittedAt: Date = Date(), resumes: String? = nil) {
        self.jobID = jobID
        self.submittedAt = submittedAt
        self.resumes = resumes
    }
}
