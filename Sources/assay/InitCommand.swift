import ArgumentParser
import AssayCore
import AssayWorkspace
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a lab workspace: assay.yaml, Targets/, Suites/, Profiles/ and a .gitignore.",
        discussion: """
            Writes into DIR (default: the current directory; created when missing): assay.yaml (default \
            target, reports folder, station key), copies of the built-in targets, suites and profiles to edit, \
            Targets/example-plugin.yaml.example (a commented descriptor for a plugin backend) and a .gitignore \
            for Reports/ and keys, and an owner-only keys/ folder for the station key. Existing files are kept, \
            never overwritten. Inside DIR and its subfolders, \
            `assay` finds its inputs there first.

            Exit codes: 0 created (or already there); 2 the folder cannot be written.
            """
    )

    @Argument(help: "The workspace folder.")
    var directory: String = "."

    func run() throws {
        let url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingPath(directory)
        let entries: [WorkspaceInitializer.Entry]
        do {
            entries = try WorkspaceInitializer.create(at: url)
        } catch {
            throw InputFailure(message: "\(url.path): cannot create the workspace: \(error.localizedDescription)")
        }
        for entry in entries { print("\(entry.created ? "created" : "kept   ") \(entry.path)") }
        print("workspace: \(url.path) (run `assay run` there; edit assay.yaml for its defaults)")
    }
}
