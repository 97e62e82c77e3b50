import ArgumentParser

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Put several runs side by side.")

    func run() throws {
        throw ValidationError("`assay compare` is not implemented yet")
    }
}
