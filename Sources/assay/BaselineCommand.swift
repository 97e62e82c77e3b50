import ArgumentParser
import AssayCore
import AssayGate
import Foundation

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Save and list gate baselines.",
        discussion:
            "A baseline is a history of runs in Baselines/<name>/runs/<run-id>.json at the repository root (an older Baselines/<name>/run.json counts as one of them); `assay gate --baseline NAME` uses every run saved under the name, and their run-to-run spread is the noise the gate judges against.",
        subcommands: [Save.self, List.self]
    )

    static var store: BaselineStore {
        BaselineStore(
            folder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Baselines")
        )
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a run's run.json to the baseline's history, Baselines/<name>/runs/<run-id>.json."
        )

        @Argument(help: "A run.json or a run directory (e.g. Reports/local-cpu/latest).")
        var runPath: String

        @Option(name: .customLong("as"), help: "The baseline's name (letters, digits, '.', '_', '-').")
        var name: String

        func run() throws {
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let source = try RunRecordLocator.locate(runPath, relativeTo: root, baselines: nil)
            let saved = try BaselineCommand.store.save(source, as: name)
            print("saved to baseline '\(name)' (\(BaselineCommand.store.runURLs(name).count) runs): \(saved.path)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved baselines with their run and target.")

        func run() throws {
            let store = BaselineCommand.store
            for name in store.list() {
                let runs = store.runURLs(name)
                if let last = runs.last, let record = try? RunRecord.load(contentsOf: last) {
                    print(
                        "\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(record.target.value.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \(runs.count) runs, latest \(record.runID)  \(record.cases.count) cases"
                    )
                } else {
                    print("\(name): UNREADABLE run record")
                }
            }
        }
    }
}
