import ArgumentParser
import AssayCore
import AssayFleet
import Foundation

struct FleetCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Write the fleet summary: summary.md, summary.html and summary.json in the fleet folder.",
        discussion: """
            One row per target: job, run status, cases done/planned, pass and fail counts, key performance \
            figures, certificate level when certified, and a link to the run's report.

            Exit codes: 0 every run is complete and passed; 1 a run failed, is unfinished or never started \
            (the summary is written all the same); 2 not a fleet folder, or the summary cannot be written.
            """
    )

    @Argument(help: ArgumentHelp("The fleet folder.", valueName: "fleet"))
    var fleetPath: String

    func run() throws {
        let (fleet, manifest, executor) = try FleetCommand.open(fleetPath)
        let statuses = FleetInspector(fleet: fleet, executor: executor).statuses(manifest)
        let summary = FleetSummary.collect(manifest: manifest, statuses: statuses, fleet: fleet)
        let files = try summary.write(to: fleet)
        for row in summary.rows {
            print(
                "\(row.targetID): \(row.runStatus ?? "not started"), \(row.done)/\(row.planned) cases, \(row.passed) pass, \(row.failed) fail"
                    + (row.certificate.map { ", certified \($0.level)" } ?? "")
            )
        }
        for file in files { print("summary: \(file.path)") }
        if !summary.allGood { throw ExitCode(ExitStatus.failure) }
    }
}
