import ArgumentParser

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "baseline", abstract: "Save and list gate baselines.")

    func run() throws {
        throw ValidationError("`assay baseline` is not implemented yet")
    }
}
