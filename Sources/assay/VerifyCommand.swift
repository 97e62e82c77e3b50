import ArgumentParser

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify an adaptation certificate.")

    func run() throws {
        throw ValidationError("`assay verify` is not implemented yet")
    }
}
