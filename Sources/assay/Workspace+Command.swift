import AssayCore
import AssayWorkspace
import Foundation

extension Workspace {
    /// The workspace around the current directory; a malformed `assay.yaml` is bad input (exit 2).
    static func current() throws -> Workspace {
        return try Workspace.discover()
    }
}

extension ResourceLocator {
    /// The current workspace's locator.
    static func current() throws -> ResourceLocator { ResourceLocator(workspace: try Workspace.current()) }

    /// `locate`, with a missing or unreadable file as bad input (exit 2).
    func find(_ name: String, kind: ResourceKind) throws -> LocatedResource {
        return try locate(name, kind: kind)
    }

    /// The target `name` (an id or a path) and its parsed descriptor; either failing is bad input (exit 2).
    func findTarget(_ name: String) throws -> (file: LocatedResource, descriptor: TargetDescriptor) {
        let file = try find(name, kind: .target)
        return (file, try TargetDescriptor.parse(text: file.text, file: file.displayName))
    }
}
