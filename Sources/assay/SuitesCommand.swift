import ArgumentParser
import AssayCore
import AssayOps
import AssayPlanning
import AssayRunner
import AssayWorkspace
import Foundation

struct SuitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suites",
        abstract: "List suites and show the cases a suite expands to.",
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List the suites found (workspace, $ASSAY_HOME, built-in) with their case counts and where each came from."
        )

        @Flag(
            name: .long,
            help: "Print a JSON array of {name, origin, path, valid, error, summary {id, title, cases, kinds}}."
        )
        var json = false

        struct Summary: Encodable {
            var id: String
            var title: String
            var cases: Int
            /// Cases per kind (conformance, performance, system).
            var kinds: [String: Int]
        }

        func run() throws {
            let locator = try ResourceLocator.current()
            try ResourceListing.run(.suite, json: json) { file in
                let suite = try Suite.parse(text: file.text, file: file.displayName, validator: SuiteValidator())
                let cases = try SuiteExpander.expand(suite, catalogue: .standard) {
                    try locator.locate($0, kind: .model)
                }
                let summary = Summary(
                    id: suite.id,
                    title: suite.title,
                    cases: cases.count,
                    kinds: cases.reduce(into: [:]) { $0[$1.kind.rawValue, default: 0] += 1 }
                )
                return (
                    summary,
                    "\(suite.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(cases.count).padding(toLength: 6, withPad: " ", startingAt: 0)) \(suite.title)"
                )
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every case id of a suite, with its kind.")
        @Argument(help: "Suite id or path.")
        var suite: String

        func run() throws {
            let locator = try ResourceLocator.current()
            let file = try locator.locate(suite, kind: .suite)
            let loaded = try Suite.parse(text: file.text, file: file.displayName, validator: SuiteValidator())
            let cases = try SuiteExpander.expand(loaded, catalogue: .standard) { try locator.locate($0, kind: .model) }
            print("# \(loaded.id): \(loaded.title) — \(cases.count) cases")
            for planned in cases {
                print("\(planned.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(planned.id)")
            }
        }
    }
}
