import ArgumentParser
import AssayBackend
import AssayCore
import AssayReport
import AssayRunner
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites against a target and record every result.",
        discussion: """
        With no options: target Targets/local-cpu.yaml (built-in CPU backend), suite Suites/smoke.yaml.
        Writes Reports/<target-id>/<run-id>/run.json and journal.jsonl (flushed after every case);
        Reports/<target-id>/latest points at the newest run. A killed run continues with --resume.

        Exit codes: 0 every case passed, was unsupported or waived; 1 a case failed, errored, crashed or \
        timed out; 2 bad input; 130 interrupted (the record is valid and resumable).
        """)

    @Option(name: .long, help: "Target descriptor: a path, or an id under Targets/.")
    var target: String = "local-cpu"

    @Option(name: .customLong("suite"), help: "Suite to run: a path, or an id under Suites/ (repeatable).")
    var suites: [String] = []

    @Option(name: .long, help: "Root folder for run directories.")
    var out: String = "Reports"

    @Option(name: .long, help: "Continue an interrupted run in this run directory.")
    var resume: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Run only the case ids matching this glob (`*`, `?`), e.g. 'conformance/softmax/*/bf16*'. With --resume, runs the matching cases still missing.", valueName: "glob"))
    var caseGlob: String?

    @Option(name: .customLong("dump-tensors"), help: ArgumentHelp("Write each failing conformance case's inputs, reference and output as .npy files, with index.jsonl, into this folder.", valueName: "dir"))
    var dumpTensors: String?

    @Option(name: .customLong("time-cap"), help: "Per-case time cap in seconds for performance cases (default: the suite's, 15 s).")
    var timeCap: Double?

    @Flag(name: .customLong("no-ceilings"),
          help: "Do not measure copy/GEMM ceilings for a target that declares no peaks (saves seconds; no roofline figures).")
    var noCeilings = false

    @Flag(name: .long, help: "Print no progress.")
    var quiet = false

    @Flag(name: .customLong("no-reports"), help: "Write no report.html, report.md, junit.xml, report.json next to run.json.")
    var noReports = false

    func run() throws {
        InterruptFlag.install()
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let request = RunRequest(target: target, suites: suites.isEmpty ? ["smoke"] : suites,
                                 reportsRoot: URL(fileURLWithPath: out, relativeTo: root).standardizedFileURL,
                                 resume: resume.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL.resolvingSymlinksInPath() },
                                 root: root, command: CommandLine.arguments, timeCapSeconds: timeCap, measuresCeilings: !noCeilings,
                                 caseGlob: caseGlob, dumpDirectory: dumpTensors.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL })
        let progress = ProgressReporter(quiet: quiet)
        let session: RunSession
        do {
            session = try RunSetup.prepare(request, progress: progress, makeBackend: BackendFactory.make)
        } catch let error as InputError {
            throw InputFailure(message: error.description)
        } catch let error as BackendError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
        let record = try session.run()
        let counts = record.outcomeCounts
        let summary = Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }.joined(separator: ", ")
        print("\(record.cases.count)/\(record.plannedCases.count) cases: \(summary.isEmpty ? "none" : summary)")
        print("run record: \(session.runJSON.path)")
        if !noReports {
            // A report that cannot be written must not cost the run its exit status.
            do { try ReportWriter.write(record, to: session.directory); print("reports: \(session.directory.path)/report.html") }
            catch { FileHandle.standardError.write(Data("warning: reports not written: \(error)\n".utf8)) }
        }
        if record.status == .interrupted, caseGlob != nil, !InterruptFlag.isSet {
            print("\(record.plannedCases.count - record.cases.count) planned cases not selected by --case: run them with `assay run --resume \(session.directory.path)`")
        } else if record.status == .interrupted {
            print("interrupted: continue with `assay run --resume \(session.directory.path)`")
            throw ExitCode(ExitStatus.interrupted)
        }
        if record.cases.contains(where: { !$0.outcome.isAcceptable }) { throw ExitCode(ExitStatus.failure) }
    }
}
