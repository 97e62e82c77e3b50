import AssayCore
import Foundation

/// Named baselines under `Baselines/<name>/` at the repository root: copies of run records
/// that CI gates later runs against. `assay baseline save RUN --as NAME` appends a run to the
/// name's history (`Baselines/<name>/runs/<run-id>.json`); several runs let the gate see
/// run-to-run variance. A `Baselines/<name>/run.json` saved by older versions is read as one
/// more run of the history.
public struct BaselineStore: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// Letters, digits, `.`, `_` and `-`, not starting with `.`: a name that is a single folder.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0)
            }
    }

    /// The single-run record of older versions.
    public func recordURL(_ name: String) -> URL {
        folder.appendingPathComponent(name).appendingPathComponent("run.json")
    }
    public func runsFolder(_ name: String) -> URL { folder.appendingPathComponent(name).appendingPathComponent("runs") }

    /// Appends the run record at `source` (validated by loading it) to the name's history as
    /// `runs/<run-id>.json`; saving the same run again replaces its copy.
    @discardableResult
    public func save(_ source: URL, as name: String) throws -> URL {
        guard Self.isValidName(name) else {
            throw InputError(
                file: name,
                field: "--as",
                message: "a baseline name is letters, digits, '.', '_' and '-', not starting with '.'"
            )
        }
        let record = try RunRecord.load(contentsOf: source)
        let fileName = Self.isValidName(record.runID) ? record.runID : "run-\(runURLs(name).count + 1)"
        let destination = runsFolder(name).appendingPathComponent(fileName + ".json")
        try FileManager.default.createDirectory(at: runsFolder(name), withIntermediateDirectories: true)
        try Data(contentsOf: source).write(to: destination, options: .atomic)
        return destination
    }

    /// Every run record of a baseline: the legacy run.json first, then runs/ by file name.
    public func runURLs(_ name: String) -> [URL] {
        let legacy = FileManager.default.fileExists(atPath: recordURL(name).path) ? [recordURL(name)] : []
        let files = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder(name).path)) ?? []
        return legacy
            + files.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map {
                runsFolder(name).appendingPathComponent($0)
            }
    }

    /// The saved baselines' names, sorted.
    public func list() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !runURLs($0).isEmpty }.sorted()
    }
}
