import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs the jobs here, one after another, before `submit` returns: the default, so a fleet
/// works on a machine without a scheduler. Each job's state is a file beside its script
/// (`jobs/<job id>.state`: `RUNNING <pid>`, then `COMPLETED 0` or `FAILED <status>`).
public struct LocalExecutor: FleetExecutor {
    public let name = "local"
    let fleet: FleetDirectory

    public init(fleet: FleetDirectory) { self.fleet = fleet }

    public func submit(_ jobs: [FleetJob], round: Int) throws -> [String] {
        var ids: [String] = []
        for job in jobs {
            let id = "local-\(round)-\(job.targetID)"
            ids.append(id)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [job.script.path]
            process.standardInput = FileHandle.nullDevice
            do { try process.run() } catch {
                try record(JobState("FAILED", exitCode: 127), id: id)
                continue
            }
            try record(JobState("RUNNING", exitCode: process.processIdentifier), id: id)
            process.waitUntilExit()
            let status =
                process.terminationReason == .uncaughtSignal
                ? 128 + process.terminationStatus : process.terminationStatus
            try record(
                JobState(status == 0 ? "COMPLETED" : status == 130 ? "CANCELLED" : "FAILED", exitCode: status),
                id: id
            )
        }
        return ids
    }

    public func states(of jobIDs: [String]) -> [String: JobState] {
        var states: [String: JobState] = [:]
        for id in jobIDs {
            guard let text = try? String(contentsOf: stateFile(id), encoding: .utf8) else { continue }
            let words = text.split(whereSeparator: \.isWhitespace)
            guard let name = words.first else { continue }
            let number = words.count > 1 ? Int32(words[1]) : nil
            if name == "RUNNING" {
                // The number is the job's pid while it runs; a pid that is gone means the submitting process died.
                let alive = number.map { kill($0, 0) == 0 || errno == EPERM } ?? false
                states[id] = alive ? JobState("RUNNING") : JobState("LOST")
            } else {
                states[id] = JobState(String(name), exitCode: number)
            }
        }
        return states
    }

    private func stateFile(_ id: String) -> URL { fleet.jobsFolder.appendingPathComponent("\(id).state") }

    private func record(_ state: JobState, id: String) throws {
        let text = "\(state.name) \(state.exitCode.map(String.init) ?? "")\n"
        try Data(text.utf8).write(to: stateFile(id), options: .atomic)
    }
}
