import ArgumentParser
import AssayCore
import AssayGate
import Foundation

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Save and list gate baselines.",
        discussion: "Baselines live in Baselines/<name>/run.json at the repository root; `assay gate --baseline NAME` finds them there.",
        subcommands: [Save.self, List.self])

    static var store: BaselineStore {
        BaselineStore(folder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Baselines"))
    }

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a run's run.json to Baselines/<name>/run.json.")

        @Argument(help: "A run.json or a run directory (e.g. Reports/local-cpu/latest).")
        var runPath: String

        @Option(name: .customLong("as"), help: "The baseline's name (letters, digits, '.', '_', '-').")
        var name: String

        func run() throws {
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            do {
                let source = try RunRecordLocator.locate(runPath, relativeTo: root, baselines: nil)
                let saved = try BaselineCommand.store.save(source, as: name)
                print("saved baseline '\(name)': \(saved.path)")
            } catch let error as InputError {
                throw InputFailure(message: error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved baselines with their run and target.")

        func run() throws {
            let store = BaselineCommand.store
            for name in store.list() {
                if let record = try? RunRecord.load(contentsOf: store.recordURL(name)) {
                    print("\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(record.target.value.id.padding(toLength: 20, withPad: " ", startingAt: 0)) \(record.runID)  \(record.cases.count) cases")
                } else {
                    print("\(name): UNREADABLE run record")
                }
            }
        }
    }
}
