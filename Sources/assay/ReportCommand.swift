import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write reports (HTML, Markdown, JUnit, JSON) from a run.")

    func run() throws {
        throw ValidationError("`assay report` is not implemented yet")
    }
}
