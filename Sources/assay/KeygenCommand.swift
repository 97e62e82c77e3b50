import ArgumentParser

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Create an Ed25519 key pair for signing certificates.")

    func run() throws {
        throw ValidationError("`assay keygen` is not implemented yet")
    }
}
