import AssayCore
import Foundation

/// Submits through `sbatch`: the targets that ask Slurm for the same things (their `slurm:`
/// blocks) go in one job array, one array task per target. Every array is first checked with
/// `sbatch --test-only`, so a refusal (an unknown partition, say) starts nothing. States come
/// from `squeue`, then `scontrol` (recently finished jobs), then `sacct` (accounting).
public struct SlurmExecutor: FleetExecutor {
    public let name = "slurm"
    let fleet: FleetDirectory

    public init(fleet: FleetDirectory) { self.fleet = fleet }

    public func submit(_ jobs: [FleetJob], round: Int) throws -> [String] {
        var groups: [(arguments: [String], jobs: [FleetJob])] = []
        for job in jobs {
            let arguments = job.slurm?.sbatchArguments ?? []
            if let index = groups.firstIndex(where: { $0.arguments == arguments }) {
                groups[index].jobs.append(job)
            } else {
                groups.append((arguments, [job]))
            }
        }
        var commands: [[String]] = []
        for (number, group) in groups.enumerated() {
            let script = fleet.jobsFolder.appendingPathComponent("array-\(round)-\(number).sh")
            try Data(Self.arrayScript(group.jobs).utf8).write(to: script, options: .atomic)
            commands.append(
                group.arguments + [
                    "--job-name=assay-\(fleet.url.lastPathComponent)", "--array=0-\(group.jobs.count - 1)",
                    "--output=\(fleet.logsFolder.path)/slurm-%A_%a.out", "--chdir=\(fleet.url.path)", script.path,
                ]
            )
        }
        for (command, group) in zip(commands, groups) {
            let result = try sbatch(["--test-only"] + command)
            if result.status != 0 { throw refusal(result, jobs: group.jobs) }
        }
        var ids: [String] = []
        var submitted: [String] = []
        for (command, group) in zip(commands, groups) {
            let result = try sbatch(["--parsable"] + command)
            // `--parsable` prints `<job id>` or `<job id>;<cluster>`.
            guard result.status == 0,
                let arrayID = result.stdout.split(separator: ";").first.map({
                    $0.trimmingCharacters(in: .whitespacesAndNewlines)
                }),
                !arrayID.isEmpty, arrayID.allSatisfy(\.isNumber)
            else {
                // Nothing half-submitted: the arrays already queued are cancelled.
                if !submitted.isEmpty { _ = Subprocess.run(["scancel"] + submitted) }
                throw refusal(result, jobs: group.jobs)
            }
            submitted.append(arrayID)
            ids += group.jobs.indices.map { "\(arrayID)_\($0)" }
        }
        return ids
    }

    public func states(of jobIDs: [String]) -> [String: JobState] {
        var states: [String: JobState] = [:]
        let arrays = Array(Set(jobIDs.map { String($0.split(separator: "_")[0]) })).sorted()
        guard !arrays.isEmpty else { return states }
        if let queue = Subprocess.run(["squeue", "-h", "-r", "-o", "%i|%T", "-j", arrays.joined(separator: ",")]),
            queue.status == 0
        {
            for line in queue.stdout.split(separator: "\n") {
                let fields = line.split(separator: "|").map(String.init)
                if fields.count == 2 { states[fields[0]] = JobState(fields[1]) }
            }
        }
        for array in arrays where jobIDs.contains(where: { $0.hasPrefix(array + "_") && states[$0] == nil }) {
            guard let shown = Subprocess.run(["scontrol", "show", "job", "-o", array]), shown.status == 0 else {
                continue
            }
            for line in shown.stdout.split(separator: "\n") {
                if let (id, state) = Self.scontrolState(String(line)), states[id] == nil { states[id] = state }
            }
        }
        let missing = jobIDs.filter { states[$0] == nil }
        if !missing.isEmpty,
            let accounting = Subprocess.run([
                "sacct", "-n", "-P", "-X", "-o", "JobID,State,ExitCode", "-j", missing.joined(separator: ","),
            ]),
            accounting.status == 0
        {
            for line in accounting.stdout.split(separator: "\n") {
                let fields = line.split(separator: "|").map(String.init)
                guard fields.count == 3, states[fields[0]] == nil, let state = fields[1].split(separator: " ").first
                else { continue }
                states[fields[0]] = JobState(
                    String(state),
                    exitCode: Int32(fields[2].split(separator: ":").first ?? "")
                )
            }
        }
        return states.filter { jobIDs.contains($0.key) }
    }

    /// `JobId=… ArrayJobId=12 ArrayTaskId=0 … JobState=COMPLETED … ExitCode=0:0` → (`12_0`, state).
    static func scontrolState(_ line: String) -> (String, JobState)? {
        var fields: [String: String] = [:]
        for word in line.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let array = fields["ArrayJobId"], let task = fields["ArrayTaskId"], task.allSatisfy(\.isNumber),
            let name = fields["JobState"]
        else { return nil }
        return (
            "\(array)_\(task)",
            JobState(name, exitCode: fields["ExitCode"].flatMap { Int32($0.split(separator: ":").first ?? "") })
        )
    }

    /// Picks the target's script by array task number.
    static func arrayScript(_ jobs: [FleetJob]) -> String {
        var lines = [
            "#!/usr/bin/env bash", "# One array task per target; written by `assay fleet submit`.",
            "case \"${SLURM_ARRAY_TASK_ID:-}\" in",
        ]
        for (index, job) in jobs.enumerated() {
            lines.append("  \(index)) exec bash \(JobScript.quote(job.script.path)) ;;")
        }
        lines += ["  *) echo \"no target for array task '${SLURM_ARRAY_TASK_ID:-}'\" >&2; exit 2 ;;", "esac"]
        return lines.joined(separator: "\n") + "\n"
    }

    private func sbatch(_ arguments: [String]) throws -> Subprocess {
        guard let result = Subprocess.run(["sbatch"] + arguments), result.status != 127 else {
            throw FleetSubmitError(
                message: "sbatch not found on PATH: the slurm executor needs Slurm's client commands",
                locations: []
            )
        }
        return result
    }

    /// sbatch's refusal, located at the descriptor field its message is about.
    private func refusal(_ result: Subprocess, jobs: [FleetJob]) -> FleetSubmitError {
        let message = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        let lowered = message.lowercased()
        let field = [
            ("partition", ["partition"]), ("gres", ["gres", "generic resource"]),
            ("constraint", ["constraint", "feature"]),
            ("time_limit", ["time limit", "--time"]), ("account", ["account"]),
        ]
        .first { $0.1.contains(where: lowered.contains) }?.0
        let locations = jobs.map { job -> InputError in
            let lines = job.slurm?.lines ?? [:]
            let key = field.flatMap { lines[$0] == nil ? nil : $0 }
            return InputError(
                file: job.descriptorPath,
                line: key.flatMap { lines[$0] } ?? lines["slurm"],
                field: job.slurm == nil ? nil : key.map { "slurm.\($0)" } ?? "slurm",
                message: "sbatch refused target \(job.targetID)'s job (exit \(result.status))"
            )
        }
        return FleetSubmitError(
            message: message.isEmpty ? "sbatch exited \(result.status)" : message,
            locations: locations
        )
    }
}
