import ArgumentParser

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plugin", abstract: "Test a plugin backend's protocol conformance.")

    func run() throws {
        throw ValidationError("`assay plugin` is not implemented yet")
    }
}
