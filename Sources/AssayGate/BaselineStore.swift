import AssayCore
import Foundation

/// Named baselines under `Baselines/<name>/run.json` at the repository root: a copy of a run
/// record that CI gates later runs against (`assay baseline save RUN --as NAME`).
public struct BaselineStore: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// Letters, digits, `.`, `_` and `-`, not starting with `.`: a name that is a single folder.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
    }

    public func recordURL(_ name: String) -> URL { folder.appendingPathComponent(name).appendingPathComponent("run.json") }

    /// Copies the run record at `source` (validated by loading it) to `Baselines/<name>/run.json`, replacing an older one.
    @discardableResult
    public func save(_ source: URL, as name: String) throws -> URL {
        guard Self.isValidName(name) else {
            throw InputError(file: name, field: "--as", message: "a baseline name is letters, digits, '.', '_' and '-', not starting with '.'")
        }
        _ = try RunRecord.load(contentsOf: source)
        let destination = recordURL(name)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = try Data(contentsOf: source)
        try data.write(to: destination, options: .atomic)
        return destination
    }

    /// The saved baselines' names, sorted.
    public func list() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: recordURL($0).path) }.sorted()
    }
}
