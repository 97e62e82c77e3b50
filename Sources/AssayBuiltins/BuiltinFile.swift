/// One data file carried inside the binary: its path as in the repository
/// (`Targets/local-cpu.yaml`) and its exact text.
public struct BuiltinFile: Sendable, Equatable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The folder (`Targets`, `Suites`, `Profiles`).
    public var folder: String { String(path.prefix { $0 != "/" }) }

    /// The file name without the folder and the `.yaml`/`.yml` extension.
    public var name: String { Self.stem(path.split(separator: "/").last.map(String.init) ?? path) }

    /// A file name without its `.yaml`/`.yml` extension: the id Assay looks it up by.
    public static func stem(_ file: String) -> String {
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) { return String(file.dropLast(suffix.count)) }
        return file
    }
}
