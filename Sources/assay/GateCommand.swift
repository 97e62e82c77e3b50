import ArgumentParser

struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gate", abstract: "Compare a run with a baseline and fail on a real regression.")

    func run() throws {
        throw ValidationError("`assay gate` is not implemented yet")
    }
}
