import ArgumentParser
import AssayCore
import AssayFleet
import Foundation

struct FleetStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each target's job state, progress (cases done/planned) and outcome counts.",
        discussion:
            "Job states come from the executor (Slurm: squeue, scontrol, sacct); progress from each run's journal. Exit codes: 0 shown; 2 not a fleet folder."
    )

    @Argument(help: ArgumentHelp("The fleet folder.", valueName: "fleet"))
    var fleetPath: String

    @Flag(name: .long, help: "Print JSON (one object per target) instead of a table.")
    var json = false

    func run() throws {
        let (fleet, manifest, executor) = try FleetCommand.open(fleetPath)
        let statuses = FleetInspector(fleet: fleet, executor: executor).statuses(manifest)
        if json {
            print(String(decoding: try RecordCoding.encoder().encode(statuses), as: UTF8.self))
            return
        }
        print(
            "fleet \(manifest.id) (\(manifest.executor)): \(manifest.targets.count) targets, suites \(manifest.suites.joined(separator: ", "))"
        )
        var rows = [["TARGET", "JOB", "STATE", "RUN", "PROGRESS", "OUTCOMES"]]
        for status in statuses {
            let outcomes = Outcome.allCases.compactMap { outcome in
                status.counts[outcome.rawValue].map { "\($0) \(outcome.rawValue)" }
            }
            let job = status.jobState.map { state in state.exitCode.map { "\(state.name) (exit \($0))" } ?? state.name }
            rows.append([
                status.targetID, status.jobID ?? "-",
                job ?? (status.exitStatus.map { "ended (exit \($0))" } ?? "unknown"),
                status.runStatus?.rawValue ?? "not started", "\(status.done)/\(status.planned)",
                outcomes.isEmpty ? "-" : outcomes.joined(separator: ", "),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces)
            )
        }
    }
}
