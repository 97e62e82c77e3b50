import Foundation

/// Where a located target, suite or profile came from, in lookup order.
public enum ResourceOrigin: Sendable, Equatable, CustomStringConvertible {
    /// A path given on the command line.
    case path
    /// The workspace's folder (the nearest folder up holding `assay.yaml` or the data folders).
    case workspace
    /// `$ASSAY_HOME/<Folder>/`.
    case home
    /// Compiled into the binary.
    case builtin

    public var description: String {
        switch self {
        case .path: return "path"
        case .workspace: return "workspace"
        case .home: return "ASSAY_HOME"
        case .builtin: return "built-in"
        }
    }
}
