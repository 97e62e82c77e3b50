import AssayCore
import Foundation

extension LocatedResource {
    /// The `${…}` variables of this descriptor: `${DESCRIPTOR_DIR}` is the folder of its file; a
    /// built-in has none, so it is `<root>/Targets`, where `assay init` writes its copy (a built-in
    /// then behaves as that copy would).
    public func descriptorVariables(
        root: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DescriptorVariables {
        let folder =
            url?.standardizedFileURL.deletingLastPathComponent() ?? root.resolvingPath(ResourceKind.target.folder)
        return DescriptorVariables(descriptorDirectory: folder.standardizedFileURL.path, environment: environment)
    }
}
