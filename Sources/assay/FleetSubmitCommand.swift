import ArgumentParser
import AssayCore
import AssayFleet
import AssayPlanning
import AssayRunner
import AssayWorkspace
import Foundation

struct FleetSubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit one job per target (or, with --resume, continue a fleet's unfinished runs).",
        discussion: """
            Each job runs `assay run` for its target with the suites, writing under the reports root (a folder \
            every node sees), and, given --profile and a workspace station_key, `assay certify`. With \
            --executor slurm, targets whose slurm: blocks ask for the same resources share one job array; \
            each array is checked with `sbatch --test-only` first, so a refused one submits nothing. \
            --resume FLEET submits again every target whose job is no longer queued or running and whose \
            run is not complete: it continues the run directory (`assay run --resume`), never from zero.

            Exit codes: 0 submitted (local: every run passed); 1 local: a run failed or was interrupted; \
            2 bad input, or the scheduler refused a job (its message, and the descriptor's file:line).
            """
    )

    @Option(name: .customLong("target"), help: "Target descriptor: a path, or an id (repeatable; one job each).")
    var targets: [String] = []

    @Option(
        name: .customLong("suite"),
        help: "Suite to run on every target: a path, or an id (repeatable; default: smoke)."
    )
    var suites: [String] = []

    @Option(name: .long, help: "Profile to certify each run against, with the workspace's station_key.")
    var profile: String?

    @Option(name: .long, help: "Where the jobs run: local (here, one after another) or slurm (default: local).")
    var executor: String = "local"

    @Option(name: .long, help: "The fleet folder to create (default: <reports>/fleets/<fleet-id>).")
    var fleet: String?

    @Option(
        name: .long,
        help: "Root folder for run directories, seen by every node (default: the workspace's reports setting, Reports)."
    )
    var out: String?

    @Option(
        name: .customLong("time-cap"),
        help: "Per-case time cap in seconds for performance cases (passed to assay run)."
    )
    var timeCap: Double?

    @Option(name: .long, help: "Continue this fleet: resubmit every target whose run did not complete.")
    var resume: String?

    func validate() throws {
        if resume != nil,
            !(targets.isEmpty && suites.isEmpty && profile == nil && fleet == nil && out == nil && timeCap == nil)
        {
            throw ValidationError(
                "--resume takes the fleet's own targets, suites and settings from its fleet.json; give no other option"
            )
        }
        if resume == nil, targets.isEmpty { throw ValidationError("give at least one --target") }
        if !["local", "slurm"].contains(executor) {
            throw ValidationError("--executor must be local or slurm, not '\(executor)'")
        }
        if let timeCap, !(timeCap > 0 && timeCap.isFinite) {
            throw ValidationError("--time-cap must be a positive number of seconds")
        }
    }

    func run() throws {
        let workspace = try Workspace.discover()
        let decisions: [FleetSubmitter.Decision]
        let folder: FleetDirectory
        let executorName: String
        do {
            if let resume {
                let (fleet, manifest, executor) = try FleetCommand.open(resume)
                (folder, executorName) = (fleet, manifest.executor)
                decisions = try FleetSubmitter(fleet: fleet, executor: executor, stationKey: workspace.stationKey)
                    .resume()
            } else {
                let manifest = try newManifest(workspace)
                folder = FleetDirectory(
                    fleet.map(workspace.currentDirectory.resolvingPath)
                        ?? URL(fileURLWithPath: manifest.reportsRoot).appendingPathComponent("fleets")
                        .appendingPathComponent(manifest.id)
                )
                executorName = executor
                if manifest.profile != nil, workspace.stationKey == nil {
                    FileHandle.standardError.write(
                        Data("warning: no station_key in the workspace's assay.yaml: runs will not be certified\n".utf8)
                    )
                }
                let submitter = FleetSubmitter(
                    fleet: folder,
                    executor: try FleetSubmitter.executor(named: executor, fleet: folder),
                    stationKey: workspace.stationKey
                )
                print("fleet: \(folder.url.path)")
                decisions = try submitter.start(manifest)
            }
        } catch let error as FleetSubmitError {
            throw InputFailure(message: error.description)
        }
        for decision in decisions {
            switch decision.action {
            case .submitted(let job, let resumes):
                print("\(decision.targetID): job \(job)\(resumes.map { ", continuing \($0)" } ?? "")")
            case .skipped(let reason):
                print("\(decision.targetID): not submitted: \(reason)")
            }
        }
        print("status: assay fleet status \(folder.url.path)")
        guard executorName == "local" else { return }
        // The local executor has finished every job: its exit says how they went.
        let (_, manifest, executor) = try FleetCommand.open(folder.url.path)
        let statuses = FleetInspector(fleet: folder, executor: executor).statuses(manifest)
        if statuses.contains(where: { $0.runStatus != .complete || $0.failed > 0 }) {
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// Validates every target, suite and profile here, before any job is submitted.
    private func newManifest(_ workspace: Workspace) throws -> FleetManifest {
        let locator = ResourceLocator(workspace: workspace)
        var fleetTargets: [FleetTarget] = []
        for name in targets {
            let file = try locator.locate(name, kind: .target)
            let descriptor = try TargetDescriptor.parse(text: file.text, file: file.displayName)
            if let other = fleetTargets.first(where: { $0.id == descriptor.id }) {
                throw InputError(
                    file: file.displayName,
                    field: "id",
                    message: "target '\(descriptor.id)' is already in this fleet (from \(other.descriptorPath))"
                )
            }
            fleetTargets.append(
                FleetTarget(
                    id: descriptor.id,
                    source: file.url?.path ?? file.name,
                    descriptorPath: file.displayName,
                    slurm: descriptor.slurm
                )
            )
        }
        let validator = SuiteValidator()
        let suiteSources = try (suites.isEmpty ? ["smoke"] : suites).map { name -> String in
            let file = try locator.locate(name, kind: .suite)
            _ = try Suite.parse(text: file.text, file: file.displayName, validator: validator)
            return file.url?.path ?? file.name
        }
        let profileSource = try profile.map { name -> String in
            let file = try locator.locate(name, kind: .profile)
            return file.url?.path ?? file.name
        }
        return FleetManifest(
            id: Self.newFleetID(),
            executor: executor,
            workingDirectory: workspace.currentDirectory.path,
            assay: Self.assayExecutable(),
            reportsRoot: workspace.reportsRoot(option: out).path,
            suites: suiteSources,
            profile: profileSource,
            timeCapSeconds: timeCap,
            targets: fleetTargets
        )
    }

    /// This binary, so every job runs the same harness.
    static func assayExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// `fleet-<UTC timestamp>-<random>`.
    static func newFleetID() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        return "fleet-\(formatter.string(from: Date()))-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }
}
