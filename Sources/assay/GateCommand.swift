import ArgumentParser
import AssayBench
import AssayCore
import AssayGate
import AssayRegistry
import AssayRunner
import Foundation

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Compare a run with a baseline and fail on a real regression.",
        discussion: """
            Conformance: a case acceptable in the baseline (pass, unsupported, waived) and not acceptable now, or \
            passed and now unsupported, is a regression; a case missing from the current run fails unless \
            --allow-missing; new cases are reported. Performance (cases with samples in both runs): one value per \
            round (log of its median); the ratio, its 95% CI and p-value from the spread between baseline runs when \
            the baseline is a history of several runs (never taken below the spread between rounds), between rounds \
            otherwise (Kalibera & Jones 2013); with several current runs (--current repeated or a directory of runs) \
            both sides' run means enter a two-sample t on B + C - 2 degrees of freedom. Holm-adjusted \
            across the compared cases; tau = max(threshold, that spread). regressed: adjusted p < alpha and ratio \
            above 1+tau; improved: adjusted p < alpha and ratio below 1-tau; same: CI within [1-tau, 1+tau]; \
            otherwise inconclusive, always with one baseline run and one round per side. --history DIR instead runs \
            E-Divisive change-point detection over each case's run medians. See docs/FORMATS.md ("Gate") and docs/CI.md.

            Exit codes: 0 pass (every compared case same or improved); 1 regression (conformance regression, \
            performance regressed, or a missing case without --allow-missing); 2 usage or input error (including \
            runs that are not comparable without --allow-different-target); 3 inconclusive only.

            Runs are comparable when their target id, descriptor digest (waivers excluded), backend name and \
            version, and host fingerprint agree; otherwise the gate exits 2 naming each that differs.
            """
    )

    @Option(
        name: .long,
        help:
            "Baseline: a run.json, a run directory, a directory of runs (a history), a name saved with `assay baseline save`, or registry:TARGET[@RUN-ID] (a registry's history of the target, see --registry-db)."
    )
    var baseline: String?

    @Option(
        name: .customLong("registry-db"),
        help:
            "With --baseline registry:…: the registry (SQLite file or postgres:// URL; default Reports/registry.sqlite)."
    )
    var registryDB: String?

    @Option(
        name: .long,
        help:
            "Current run(s): a run.json, a run directory, or a directory of runs; repeat for more. Several runs of the same build (fresh processes) give the current side its own run-to-run variance."
    )
    var current: [String] = []

    @Option(
        name: .long,
        help: "Instead of a comparison: find change points in each case's run medians over this directory of runs."
    )
    var history: String?

    @Option(name: .long, help: "Smallest performance change that matters, in percent.")
    var threshold: Double = 2

    @Option(name: .long, help: "Family-wise significance level (Holm-adjusted Mann-Whitney p-values).")
    var alpha: Double = 0.05

    @Option(
        name: .long,
        help: "Comma-separated outputs: md, junit, json (default: md to stdout; with --out, all three)."
    )
    var format: String?

    @Option(
        name: .long,
        help: "Write gate.md, gate.junit.xml and gate.json into this folder instead of printing Markdown."
    )
    var out: String?

    @Flag(
        name: .customLong("allow-different-target"),
        help: "Compare runs whose target, descriptor, backend or host fingerprint differ."
    )
    var allowDifferentTarget = false

    @Flag(
        name: .customLong("allow-missing"),
        help: "Report, but do not fail on, baseline cases missing from the current run."
    )
    var allowMissing = false

    @Flag(
        name: .long,
        help:
            "Re-measure regressed and inconclusive performance cases on the current run's target (this machine) in the run's round structure, and decide again on the fresh measurement (reported before and after; never appended to the run)."
    )
    var confirm = false

    enum OutputFormat: String, CaseIterable {
        case md, junit, json
        var fileName: String { ["md": "gate.md", "junit": "gate.junit.xml", "json": "gate.json"][rawValue]! }
    }

    func validate() throws {
        guard threshold >= 0, threshold < 100 else { throw ValidationError("--threshold is a percentage in [0, 100)") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1)") }
        if history == nil, baseline == nil || current.isEmpty {
            throw ValidationError("give --baseline and --current, or --history")
        }
        if history != nil, baseline != nil || !current.isEmpty || confirm {
            throw ValidationError("--history stands alone (no --baseline, --current or --confirm)")
        }
        _ = try formats()
    }

    func formats() throws -> [OutputFormat] {
        guard let format else { return out == nil ? [.md] : OutputFormat.allCases }
        return try format.split(separator: ",").map { name in
            guard let parsed = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown --format '\(name)' (allowed: md, junit, json)")
            }
            return parsed
        }
    }

    func run() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let store = BaselineStore(folder: root.appendingPathComponent("Baselines"))
        let options = GateOptions(
            threshold: threshold / 100,
            alpha: alpha,
            allowMissing: allowMissing,
            allowDifferentTarget: allowDifferentTarget
        )
        do {
            if let history { return try runHistory(history, root: root) }
            guard let baseline, !current.isEmpty else { return }
            let baselineRecords: [RunRecord]
            let baselineSource: String
            if RegistryBaseline.isReference(baseline) {
                (baselineRecords, baselineSource) = try RegistryCommand.baseline(baseline, db: registryDB, root: root)
            } else {
                let (records, url) = try RunRecordLocator.loadRuns(baseline, relativeTo: root, baselines: store)
                (baselineRecords, baselineSource) = (records, url.path)
            }
            let (currentRecords, currentSource) = try loadCurrent(root: root)
            guard let currentRecord = currentRecords.last else { return }
            var report = try Gate.compare(
                baselines: baselineRecords,
                currents: currentRecords,
                options: options,
                baselineSource: baselineSource,
                currentSource: currentSource
            )
            if confirm, !report.casesToConfirm.isEmpty {
                FileHandle.standardError.write(
                    Data(
                        "confirming \(report.casesToConfirm.count) case(s) on \(currentRecord.target.value.id)…\n".utf8
                    )
                )
                report = try Gate.confirm(
                    report,
                    baselines: baselineRecords,
                    currents: currentRecords,
                    options: options,
                    baselineSource: baselineSource,
                    currentSource: currentSource
                ) { ids in
                    do {
                        return try CaseRemeasurer(record: currentRecord, root: root)
                            .remeasure(
                                ids,
                                requireFingerprint: currentRecord.environment.fingerprint,
                                makeBackend: BackendFactory.make
                            )
                    } catch let error as InputError {
                        throw error
                    } catch {
                        throw InputFailure(message: "the confirmation re-run failed: \(error)")
                    }
                }
            }
            try emit(report, root: root)
            if report.status.exitCode != 0 { throw ExitCode(report.status.exitCode) }
        } catch let error as GateError {
            throw InputFailure(message: error.description)
        }
    }

    /// Every `--current` argument's runs (each a run or a directory of runs), oldest first, each
    /// run once, and the paths they came from.
    private func loadCurrent(root: URL) throws -> ([RunRecord], String) {
        var seen = Set<String>()
        var records: [RunRecord] = []
        var sources: [String] = []
        for argument in current {
            let (runs, url) = try RunRecordLocator.loadRuns(argument, relativeTo: root, baselines: nil)
            records += runs.filter { seen.insert($0.runID).inserted }
            sources.append(url.path)
        }
        return (records.sorted { $0.startedAt < $1.startedAt }, sources.joined(separator: ", "))
    }

    /// `--history DIR`: change points per case, Markdown to stdout (or history.md and history.json under --out).
    private func runHistory(_ directory: String, root: URL) throws {
        let (runs, _) = try RunRecordLocator.loadRuns(
            directory,
            relativeTo: root,
            baselines: BaselineStore(folder: root.appendingPathComponent("Baselines"))
        )
        let detector = EDivisive(significance: alpha)
        let histories = HistoryAnalysis.analyze(runs, detector: detector)
        let markdown = HistoryAnalysis.markdown(histories, runs: runs.count, detector: detector)
        guard let out else { return print(markdown, terminator: "") }
        let folder = URL(fileURLWithPath: out, relativeTo: root).standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: folder.appendingPathComponent("history.md"), options: .atomic)
        try RecordCoding.encoder().encode(histories).write(
            to: folder.appendingPathComponent("history.json"),
            options: .atomic
        )
        print("wrote \(folder.appendingPathComponent("history.md").path) and history.json")
    }

    private func emit(_ report: GateReport, root: URL) throws {
        let selected = try formats()
        func text(_ format: OutputFormat) throws -> Data {
            switch format {
            case .md: return Data(GateMarkdown.render(report).utf8)
            case .junit: return Data(GateJUnit.render(report).utf8)
            case .json: return try report.jsonData()
            }
        }
        guard let out else {
            for format in selected { FileHandle.standardOutput.write(try text(format)) }
            return
        }
        let folder = URL(fileURLWithPath: out, relativeTo: root).standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for format in selected {
            let file = folder.appendingPathComponent(format.fileName)
            try text(format).write(to: file, options: .atomic)
            print("wrote \(file.path)")
        }
        print("gate: \(report.status.rawValue) (exit \(report.status.exitCode))")
    }
}
