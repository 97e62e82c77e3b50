import ArgumentParser
import AssayCore
import AssayOps
import AssayRunner
import AssayWorkspace
import Foundation

struct SuitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suites",
        abstract: "List suites and show the cases a suite expands to.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the suites found (workspace, $ASSAY_HOME, built-in) with their case counts and where each came from.")
        func run() throws {
            for file in try ResourceLocator.current().list(.suite) {
                do {
                    let suite = try Suite.parse(text: file.text, file: file.displayName, validator: SuiteValidator())
                    let cases = try SuiteExpander.expand(suite, catalogue: .standard)
                    print("\(suite.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(cases.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \(suite.title)  (\(file.whereFrom))")
                } catch {
                    print("\(file.displayName): INVALID — \(error)  (\(file.whereFrom))")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every case id of a suite, with its kind.")
        @Argument(help: "Suite id or path.")
        var suite: String

        func run() throws {
            let file = try ResourceLocator.current().find(suite, kind: .suite)
            do {
                let loaded = try Suite.parse(text: file.text, file: file.displayName, validator: SuiteValidator())
                let cases = try SuiteExpander.expand(loaded, catalogue: .standard)
                print("# \(loaded.id): \(loaded.title) — \(cases.count) cases")
                for planned in cases { print("\(planned.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(planned.id)") }
            } catch let error as InputError {
                throw InputFailure(message: error.description)
            }
        }
    }
}
