import ArgumentParser
import AssayCore
import AssayReport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write reports (HTML, Markdown, JUnit, JSON) from a run.",
        discussion: """
            RUN is a run directory (e.g. Reports/local-cpu/latest) or its run.json. Writes report.html, \
            report.md, junit.xml and report.json (or the --format subset) into --out, by default the run directory.

            Exit codes: 0 written; 2 bad input (an unreadable or malformed record, named by file).
            """
    )

    @Argument(help: ArgumentHelp("Run directory or run.json.", valueName: "run"))
    var runPath: String

    @Option(name: .long, help: "Comma-separated formats: html, md, junit, json (default: all).")
    var format: String = "html,md,junit,json"

    @Option(name: .long, help: "Folder to write into (default: the run directory).")
    var out: String?

    func run() throws {
        let formats: [ReportFormat]
        switch ReportFormat.parseList(format) {
        case .success(let parsed) where !parsed.isEmpty: formats = parsed
        case .success: throw ValidationError("--format: no format given")
        case .failure(let error): throw ValidationError("--format: \(error)")
        }
        let recordURL = ReportWriter.recordURL(for: runPath)
        let record = try RunRecord.load(contentsOf: recordURL)
        let directory =
            out.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? recordURL.deletingLastPathComponent()
        for url in try ReportWriter.write(record, formats: formats, to: directory) { print(url.path) }
    }
}
