import AssayCore
import Foundation

/// Where a fleet's jobs run. An executor starts one job per target and later says what became
/// of each; everything else (scripts, manifest, resuming, reports) is the fleet's. A new
/// executor (a Kubernetes Job, say) implements these two calls. See docs/FLEET.md.
public protocol FleetExecutor {
    /// The name recorded in the manifest (`local`, `slurm`).
    var name: String { get }

    /// Starts `jobs` (each runs its `script`) and returns one job id per job, in order. A job
    /// the scheduler refuses throws `FleetSubmitError` before anything is started.
    func submit(_ jobs: [FleetJob], round: Int) throws -> [String]

    /// What the executor knows of these job ids now; an id it no longer knows is left out.
    func states(of jobIDs: [String]) -> [String: JobState]
}

/// One target's job as an executor sees it.
public struct FleetJob: Sendable {
    public var targetID: String
    /// The bash script that runs the target (`jobs/<target>.sh`).
    public var script: URL
    /// Where the executor's own output goes (the script logs to the target's log itself).
    public var log: URL
    public var slurm: SlurmOptions?
    /// How errors name the target's descriptor.
    public var descriptorPath: String

    public init(targetID: String, script: URL, log: URL, slurm: SlurmOptions?, descriptorPath: String) {
        self.targetID = targetID
        self.script = script
        self.log = log
        self.slurm = slurm
        self.descriptorPath = descriptorPath
    }
}

/// A job's state in the scheduler's words (Slurm's: PENDING, RUNNING, COMPLETED, FAILED,
/// CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED…) and its exit code once known.
public struct JobState: Codable, Sendable, Equatable {
    public var name: String
    public var exitCode: Int32?

    public init(_ name: String, exitCode: Int32? = nil) {
        self.name = name
        self.exitCode = exitCode
    }

    /// Whether the job may still run or change its run directory (then it is not resumed).
    public var isActive: Bool {
        [
            "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "SIGNALING",
            "STAGE_OUT",
        ].contains(name)
    }
}

/// The scheduler refused a submission: its own words, and the descriptors whose `slurm:`
/// blocks asked for it (the first field the message points at, else the block).
public struct FleetSubmitError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var locations: [InputError]

    public init(message: String, locations: [InputError]) {
        self.message = message
        self.locations = locations
    }

    public var description: String {
        let detail = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if locations.isEmpty { return detail }
        return locations.map { "\($0)" }.joined(separator: "\n") + "\n" + detail
    }
}
