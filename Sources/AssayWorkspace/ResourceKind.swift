/// The kinds of input file Assay looks up by id, each in its own folder.
public enum ResourceKind: String, Sendable, CaseIterable {
    case target = "Targets"
    case suite = "Suites"
    case profile = "Profiles"
    /// Model graphs (docs/FORMATS.md, "Graphs") that model cases name.
    case model = "Models"

    /// The folder name in a workspace, in `$ASSAY_HOME` and among the built-ins.
    public var folder: String { rawValue }
}
