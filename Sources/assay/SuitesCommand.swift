import ArgumentParser
import AssayCore
import AssayOps
import AssayRunner
import Foundation

struct SuitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suites",
        abstract: "List suites and show the cases a suite expands to.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the suites under Suites/ with their case counts.")
        func run() throws {
            for url in YAMLFolder.files(in: "Suites") {
                do {
                    let (suite, _) = try Suite.load(contentsOf: url, displayName: "Suites/\(url.lastPathComponent)", validator: SuiteValidator())
                    let cases = try SuiteExpander.expand(suite, catalogue: .standard)
                    print("\(suite.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(cases.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \(suite.title)")
                } catch {
                    print("\(url.lastPathComponent): INVALID — \(error)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every case id of a suite, with its kind.")
        @Argument(help: "Suite id or path.")
        var suite: String

        func run() throws {
            let url = RunSetup.locate(suite, folder: "Suites", root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            do {
                let (loaded, _) = try Suite.load(contentsOf: url, displayName: url.relativePath, validator: SuiteValidator())
                let cases = try SuiteExpander.expand(loaded, catalogue: .standard)
                print("# \(loaded.id): \(loaded.title) — \(cases.count) cases")
                for planned in cases { print("\(planned.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(planned.id)") }
            } catch let error as InputError {
                throw InputFailure(message: error.description)
            }
        }
    }
}
