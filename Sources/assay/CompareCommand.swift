import ArgumentParser
import AssayCore
import AssayReport
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Put several runs side by side.",
        discussion: """
            Each RUN is a run directory or run.json; the first is the reference. Without --out the \
            Markdown comparison is printed; with --out, compare.html and compare.md (or the --format subset) \
            are written there.

            Exit codes: 0 written; 2 bad input (fewer than two runs, or an unreadable record, named by file).
            """
    )

    @Argument(help: "Two or more run directories or run.json files.")
    var runs: [String]

    @Option(name: .long, help: "Comma-separated formats: html, md (default: both with --out, md on stdout without).")
    var format: String?

    @Option(name: .long, help: "Folder to write compare.html / compare.md into.")
    var out: String?

    func validate() throws {
        guard runs.count >= 2 else { throw ValidationError("compare needs at least two runs") }
    }

    func run() throws {
        var records: [RunRecord] = []
        for path in runs {
            records.append(try ReportWriter.loadRecord(path))
        }
        let comparison = RunComparison(records)
        let formats = try Self.formats(format)
        guard let out else {
            guard formats == [.md] || format == nil else { throw ValidationError("--format html needs --out") }
            print(comparison.markdown(), terminator: "")
            return
        }
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw InputFailure(message: "\(directory.path): cannot create the folder: \(error.localizedDescription)")
        }
        for format in formats {
            let url = directory.appendingPathComponent(format == .html ? "compare.html" : "compare.md")
            let text = format == .html ? comparison.html() : comparison.markdown(withHTML: formats.contains(.html))
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw InputFailure(message: "\(url.path): cannot write: \(error.localizedDescription)")
            }
            print(url.path)
        }
    }

    private static func formats(_ text: String?) throws -> [ReportFormat] {
        guard let text else { return [.html, .md] }
        switch ReportFormat.parseList(text) {
        case .success(let formats) where !formats.isEmpty && formats.allSatisfy({ $0 == .html || $0 == .md }):
            return formats
        case .failure(let error): throw ValidationError("--format: \(error)")
        default: throw ValidationError("--format: compare writes html and md only")
        }
    }
}
