import ArgumentParser

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certify", abstract: "Issue a signed adaptation certificate for a run that meets a profile.")

    func run() throws {
        throw ValidationError("`assay certify` is not implemented yet")
    }
}
