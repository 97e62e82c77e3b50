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

        @Flag(name: .long, help: "Print a JSON array: id, title, cases, kinds (cases per kind), origin, path, valid, error.")
        var json = false

        /// One element of the --json array.
        struct Entry: Encodable {
            var name: String
            var id: String?
            var title: String?
            var cases: Int?
            /// Cases per kind (conformance, performance, system).
            var kinds: [String: Int]?
            var origin: String
            var path: String
            var valid: Bool
            var error: String?
        }

        func run() throws {
            var entries: [Entry] = []
            for file in try ResourceLocator.current().list(.suite) {
                var entry = Entry(name: file.name, origin: file.origin.description, path: file.url?.path ?? file.displayName, valid: false)
                do {
                    let suite = try Suite.parse(text: file.text, file: file.displayName, validator: SuiteValidator())
                    let cases = try SuiteExpander.expand(suite, catalogue: .standard)
                    entry.id = suite.id; entry.title = suite.title; entry.cases = cases.count; entry.valid = true
                    entry.kinds = cases.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }
                    if !json { print("\(suite.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(cases.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \(suite.title)  (\(file.whereFrom))") }
                } catch {
                    entry.error = "\(error)"
                    if !json { print("\(file.name): INVALID — \(error)  (\(file.whereFrom))") }
                }
                entries.append(entry)
            }
            if json { try JSONOutput.print(entries) }
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
