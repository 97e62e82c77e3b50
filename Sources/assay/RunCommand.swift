import ArgumentParser
import AssayBackend
import AssayCertify
import AssayCore
import AssayReport
import AssayRunner
import AssayWorkspace
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against a target and record every result.",
        discussion: """
            With no options: the workspace's default target (assay.yaml; else local-cpu, the built-in CPU \
            backend) and suite smoke. Targets and suites are found as `assay help` describes (a path; the \
            workspace's Targets/ and Suites/; $ASSAY_HOME; the built-ins). Writes \
            Reports/<target-id>/<run-id>/run.json and journal.jsonl (flushed after every case) under the \
            workspace (or the current directory outside one); Reports/<target-id>/latest points at the newest \
            run. A killed run continues with --resume, from any directory: the record holds its inputs and the \
            plugin's resolved command.

            With --sign-with KEY (or ASSAY_STATION_KEY=KEY), the station key signs the run when it ends \
            or is interrupted: run.dsse.json, a DSSE envelope over run.json, journal.jsonl, the descriptor \
            and suite texts and this executable, which `assay certify --station-pubkey` requires. Every \
            journal line then carries a MAC only that key can make; resume such a run with the same key.

            Waivers come from --waivers FILE, else Waivers/<target-id>.yaml beside the descriptor's \
            Targets/ folder, in the workspace or in $ASSAY_HOME; the run snapshots the file.

            Exit codes: 0 every case passed, was observed, unsupported or waived; 1 a case failed, errored, crashed or \
            timed out, or the backend failed to start (run.json then says failed-to-start and why); 2 bad input \
            (including a case over the memory budget, a missing plugin program, a run in use by another \
            process) or an I/O error writing the record (it stays resumable); 130 interrupted (the record \
            is valid and resumable).
            """
    )

    @Option(
        name: .long,
        help: "Target descriptor: a path, or an id (default: the workspace's default_target, else local-cpu)."
    )
    var target: String?

    @Option(name: .customLong("suite"), help: "Suite to run: a path, or an id (repeatable; default: smoke).")
    var suites: [String] = []

    @Option(name: .long, help: "Root folder for run directories (default: the workspace's reports setting, Reports).")
    var out: String?

    @Option(name: .long, help: "Continue an interrupted run in this run directory.")
    var resume: String?

    @Option(
        name: .customLong("case"),
        help: ArgumentHelp(
            "Run only the case ids matching this glob (`*`, `?`), e.g. 'conformance/softmax/*/bf16*'; repeat it to select the cases any of them matches. With --resume, runs the matching cases still missing.",
            valueName: "glob"
        )
    )
    var caseGlobs: [String] = []

    @Option(
        name: .customLong("dump-tensors"),
        help: ArgumentHelp(
            "Write each failing conformance case's inputs, reference and output as .npy files, with index.jsonl, into this folder.",
            valueName: "dir"
        )
    )
    var dumpTensors: String?

    @Option(
        name: .customLong("time-cap"),
        help: "Per-case time cap in seconds for performance cases (default: the suite's, 15 s)."
    )
    var timeCap: Double?

    @Option(
        name: .long,
        help:
            "Rounds per performance case: fresh sampler runs interleaved across cases, each under time-cap/rounds (default: the suite's, 3)."
    )
    var rounds: Int?

    @Flag(
        name: .customLong("no-ceilings"),
        help:
            "Do not measure copy/GEMM ceilings for a target that declares no peaks (saves seconds; no roofline figures)."
    )
    var noCeilings = false

    @Option(
        name: .customLong("memory-budget"),
        help:
            "The most bytes one case may need (inputs, outputs, float64 reference), e.g. 8GiB; larger cases are refused (default: the suite's memory_budget, else half of physical memory)."
    )
    var memoryBudget: String?

    @Option(
        name: .customLong("sign-with"),
        help: ArgumentHelp(
            "Station private key (from `assay keygen`) that signs the run (default: $ASSAY_STATION_KEY).",
            valueName: "key"
        )
    )
    var signWith: String?

    @Option(
        name: .long,
        help:
            "Waiver file to apply (default: Waivers/<target-id>.yaml next to the descriptor or in the workspace, when there is one)."
    )
    var waivers: String?

    @Option(
        name: .customLong("run-dir-file"),
        help: ArgumentHelp(
            "Write the run directory's path to this file as soon as it exists (how `assay fleet` finds each job's run).",
            visibility: .hidden
        )
    )
    var runDirectoryFile: String?

    @Flag(name: .long, help: "Print no progress; at the end, the counts and the id of every case that did not pass.")
    var quiet = false

    @Flag(
        name: .customLong("no-reports"),
        help: "Write no report.html, report.md, junit.xml, report.json next to run.json."
    )
    var noReports = false

    func validate() throws {
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        InterruptFlag.install()
        let budget = try memoryBudget.map { text -> MemoryBudget in
            guard let budget = MemoryBudget(parsing: text) else {
                throw InputFailure(
                    message: "--memory-budget: '\(text)' is not a positive size (bytes, or with a unit: 512MiB, 8GiB)"
                )
            }
            return budget
        }
        let workspace = try Workspace.discover()
        let here = workspace.currentDirectory
        let request = RunRequest(
            target: target ?? workspace.settings.defaultTarget ?? "local-cpu",
            suites: suites.isEmpty ? ["smoke"] : suites,
            reportsRoot: workspace.reportsRoot(option: out),
            resume: resume.map { here.resolvingPath($0).resolvingSymlinksInPath() },
            root: workspace.baseDirectory,
            command: CommandLine.arguments,
            timeCapSeconds: timeCap,
            measuresCeilings: !noCeilings,
            memoryBudget: budget,
            locator: ResourceLocator(workspace: workspace),
            waivers: waivers,
            rounds: rounds,
            caseGlobs: caseGlobs,
            dumpDirectory: dumpTensors.map { here.resolvingPath($0) }
        )
        let progress = ProgressReporter(quiet: quiet)
        let station = try stationKey()
        let session: RunSession
        do {
            session = try RunSetup.prepare(request, progress: progress, makeBackend: BackendFactory.make)
        } catch let error as StartFailure {
            announce(error.directory)
            FileHandle.standardError.write(
                Data(
                    "error: \(error)\nrecorded in \(error.directory.path)/run.json; after fixing the target, continue with `assay run --resume \(error.directory.path)`\n"
                        .utf8
                )
            )
            throw ExitCode(InterruptFlag.isSet ? ExitStatus.interrupted : ExitStatus.failure)
        } catch let error as BackendError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(InterruptFlag.isSet ? ExitStatus.interrupted : ExitStatus.failure)
        }
        announce(session.directory)
        session.journalSecret = station?.seed
        let record: RunRecord
        do {
            record = try session.run()
        } catch let error as FileIOError {
            throw InputFailure(
                message:
                    "\(error); the run record is intact: fix this and continue with `assay run --resume \(session.directory.path)`"
            )
        }
        let counts = record.outcomeCounts
        let summary = Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
            .joined(separator: ", ")
        print("\(record.cases.count)/\(record.plannedCases.count) cases: \(summary.isEmpty ? "none" : summary)")
        if quiet {
            // Without progress lines the counts alone ("2 fail") do not say which cases to look at:
            // failures first, then unsupported, waived and the rest, each with its outcome.
            let notPassed = record.cases.filter { $0.outcome != .pass }
            for result in notPassed.filter({ !$0.outcome.isAcceptable }) + notPassed.filter(\.outcome.isAcceptable) {
                print("\(result.outcome.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(result.id)")
            }
        }
        print("run record: \(session.runJSON.path)")
        if let station {
            do {
                let url = try RunAttestor.attest(
                    directory: session.directory,
                    key: station,
                    harness: try RunAttestor.Harness.current()
                )
                print("run attestation: \(url.path) (station key \(station.keyID))")
            } catch {
                FileHandle.standardError.write(Data("error: the run was not signed: \(error)\n".utf8))
                throw ExitCode(ExitStatus.failure)
            }
        }
        if !noReports {
            // A report that cannot be written must not cost the run its exit status.
            do {
                try ReportWriter.write(record, to: session.directory)
                print("reports: \(session.directory.path)/report.html")
            } catch { FileHandle.standardError.write(Data("warning: reports not written: \(error)\n".utf8)) }
        }
        if record.status == .interrupted, !caseGlobs.isEmpty, !InterruptFlag.isSet {
            print(
                "\(record.plannedCases.count - record.cases.count) planned cases not selected by --case: run them with `assay run --resume \(session.directory.path)`"
            )
        } else if record.status == .interrupted {
            print("interrupted: continue with `assay run --resume \(session.directory.path)`")
            throw ExitCode(ExitStatus.interrupted)
        }
        if record.cases.contains(where: { !$0.outcome.isAcceptable }) { throw ExitCode(ExitStatus.failure) }
    }

    /// The station key from --sign-with or ASSAY_STATION_KEY, read before any case runs. (The
    /// workspace's `station_key` is the key `assay certify` signs certificates with, not this one.)
    private func stationKey() throws -> SigningKey? {
        guard
            let path = signWith
                ?? ProcessInfo.processInfo.environment["ASSAY_STATION_KEY"].flatMap({ $0.isEmpty ? nil : $0 })
        else { return nil }
        do {
            return try SigningKey(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputFailure(message: "station key: \(error)")
        }
    }

    /// `--run-dir-file`: written whole (atomically), so a reader never sees half a path.
    private func announce(_ directory: URL) {
        guard let runDirectoryFile else { return }
        do {
            try Data((directory.path + "\n").utf8).write(to: URL(fileURLWithPath: runDirectoryFile), options: .atomic)
        } catch {
            FileHandle.standardError.write(
                Data("warning: --run-dir-file \(runDirectoryFile) not written: \(error)\n".utf8)
            )
        }
    }
}
