import AssayCore
import AssayWorkspace
import Foundation

extension ResourceLocator {
    /// The current workspace's locator.
    static func current() throws -> ResourceLocator { ResourceLocator(workspace: try Workspace.discover()) }

    /// The target `name` (an id or a path) and its parsed descriptor; either failing is bad input (exit 2).
    func findTarget(_ name: String) throws -> (file: LocatedResource, descriptor: TargetDescriptor) {
        let file = try locate(name, kind: .target)
        return (file, try TargetDescriptor.parse(text: file.text, file: file.displayName))
    }
}
