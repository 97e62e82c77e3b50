import AssayCore
import Foundation

/// Starts a fleet's jobs, and later continues the ones that did not finish: a run with a
/// journal is always continued in its own directory (`assay run --resume`), never restarted.
public struct FleetSubmitter {
    public let fleet: FleetDirectory
    public let executor: FleetExecutor
    /// The workspace's station key: with a profile, each finished run is certified with it.
    public let stationKey: URL?

    public init(fleet: FleetDirectory, executor: FleetExecutor, stationKey: URL?) {
        self.fleet = fleet
        self.executor = executor
        self.stationKey = stationKey
    }

    /// What a submission did with one target.
    public struct Decision: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            /// A job was started: fresh, or continuing the run directory `resumes`.
            case submitted(jobID: String, resumes: String?)
            /// Nothing to do: why.
            case skipped(String)
        }
        public var targetID: String
        public var action: Action
    }

    /// The executor a manifest names.
    public static func executor(named name: String, fleet: FleetDirectory) throws -> FleetExecutor {
        switch name {
        case "local": return LocalExecutor(fleet: fleet)
        case "slurm": return SlurmExecutor(fleet: fleet)
        default:
            throw InputError(
                file: fleet.manifestURL.path,
                field: "executor",
                message: "unknown executor '\(name)' (one of: local, slurm)"
            )
        }
    }

    /// Creates the fleet folder and submits every target afresh.
    public func start(_ manifest: FleetManifest) throws -> [Decision] {
        try fleet.create()
        try fleet.save(manifest)
        return try submit(manifest, plan: manifest.targets.map { ($0.id, nil) })
    }

    /// Submits again every target whose run did not complete and whose job is no longer queued
    /// or running: from its run directory when it has one, afresh when it never got that far.
    public func resume() throws -> [Decision] {
        let manifest = try fleet.loadManifest()
        let states = executor.states(of: manifest.targets.compactMap { $0.attempts.last?.jobID })
        var plan: [(String, URL?)] = []
        var skipped: [Decision] = []
        for target in manifest.targets {
            if let job = target.attempts.last?.jobID, let state = states[job], state.isActive {
                skipped.append(Decision(targetID: target.id, action: .skipped("job \(job) is \(state.name)")))
                continue
            }
            guard let directory = fleet.runDirectory(for: target.id) else {
                plan.append((target.id, nil))
                continue
            }
            let status = (try? RunRecord.load(contentsOf: directory.appendingPathComponent("run.json")))?.status
            if status == .complete {
                skipped.append(
                    Decision(targetID: target.id, action: .skipped("run \(directory.lastPathComponent) is complete"))
                )
            } else {
                plan.append((target.id, directory))
            }
        }
        return skipped + (plan.isEmpty ? [] : try submit(manifest, plan: plan))
    }

    private func submit(_ manifest: FleetManifest, plan: [(targetID: String, resume: URL?)]) throws -> [Decision] {
        var manifest = manifest
        let round = manifest.rounds
        var jobs: [FleetJob] = []
        for (targetID, resume) in plan {
            guard let target = manifest.targets.first(where: { $0.id == targetID }) else { continue }
            let script = JobScript(
                manifest: manifest,
                fleet: fleet,
                target: target,
                resume: resume,
                stationKey: stationKey
            )
            do { try script.write() } catch {
                throw InputError(
                    file: fleet.jobScript(for: targetID).path,
                    message: "cannot write the job script: \(error.localizedDescription)"
                )
            }
            jobs.append(
                FleetJob(
                    targetID: target.id,
                    script: fleet.jobScript(for: target.id),
                    log: fleet.log(for: target.id),
                    slurm: target.slurm,
                    descriptorPath: target.descriptorPath
                )
            )
        }
        let ids = try executor.submit(jobs, round: round)
        var decisions: [Decision] = []
        for ((targetID, resume), id) in zip(plan, ids) {
            guard let index = manifest.targets.firstIndex(where: { $0.id == targetID }) else { continue }
            manifest.targets[index].attempts.append(FleetAttempt(jobID: id, resumes: resume?.path))
            decisions.append(Decision(targetID: targetID, action: .submitted(jobID: id, resumes: resume?.path)))
        }
        manifest.rounds = round + 1
        try fleet.save(manifest)
        return decisions
    }
}
