import ArgumentParser
import AssayCore
import AssayFleet
import Foundation

struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract:
            "Run suites across many targets (here, or through Slurm), resume what was killed, and summarise the fleet.",
        discussion: """
            A fleet is a folder (default: <reports>/fleets/<fleet-id>) holding fleet.json: the targets, suites, \
            executor, every job id, and where each target's run directory is. `submit` starts one job per target \
            (executor local: one after another here; slurm: a job array through sbatch, using each descriptor's \
            slurm: block); `status` shows each job and run; `collect` writes summary.md, summary.html and \
            summary.json; `submit --resume FLEET` continues every run that did not complete from its journal. \
            See docs/FLEET.md.
            """,
        subcommands: [FleetSubmitCommand.self, FleetStatusCommand.self, FleetCollectCommand.self]
    )

    /// The fleet folder named on the command line, with its manifest and executor.
    static func open(_ path: String) throws -> (FleetDirectory, FleetManifest, FleetExecutor) {
        let fleet = FleetDirectory(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingPath(path))
        let manifest = try fleet.loadManifest()
        return (fleet, manifest, try FleetSubmitter.executor(named: manifest.executor, fleet: fleet))
    }
}
