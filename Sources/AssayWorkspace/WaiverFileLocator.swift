import AssayCore
import Foundation

/// Finds a target's waiver file: `--waivers FILE` when given; else `Waivers/<target-id>.yaml`
/// next to the descriptor (beside its `Targets/` folder, or in the descriptor's own folder),
/// then in the workspace, then in `$ASSAY_HOME`. No file is no waivers.
public struct WaiverFileLocator: Sendable {
    public var locator: ResourceLocator

    public init(locator: ResourceLocator) { self.locator = locator }

    /// A waiver file found, read and checked against the target.
    public struct Found: Sendable {
        /// How run records and errors name it (relative to the workspace root inside it).
        public var displayName: String
        public var text: String
        public var file: WaiverFile
    }

    /// The waiver file for `target`, parsed and checked; an `InputError` (exit 2) for an
    /// explicit file that is missing, or any file that is malformed or for another target.
    public func locate(for target: LocatedResource, targetID: String, option: String?) throws -> Found? {
        let url: URL
        if let option {
            url = locator.workspace.currentDirectory.resolvingPath(option)
        } else if let found = candidates(for: target, targetID: targetID).first(where: {
            FileManager.default.fileExists(atPath: $0.path)
        }) {
            url = found
        } else {
            return nil
        }
        let displayName = locator.displayName(of: url)
        let text = try ResourceLocator.read(url, displayName: displayName)
        let file = try WaiverFile.parse(text: text, file: displayName)
        try file.check(for: targetID, text: text, file: displayName)
        return Found(displayName: displayName, text: text, file: file)
    }

    /// Where `Waivers/<id>.yaml` is looked for, in order, without repeats.
    func candidates(for target: LocatedResource, targetID: String) -> [URL] {
        let name = "\(WaiverFile.folder)/\(targetID).yaml"
        var folders: [URL] = []
        if let descriptorFolder = target.url?.deletingLastPathComponent() {
            // `lab/Targets/x.yaml` → `lab/Waivers/x.yaml`; a descriptor elsewhere: its own folder.
            folders.append(
                descriptorFolder.lastPathComponent == ResourceKind.target.folder
                    ? descriptorFolder.deletingLastPathComponent() : descriptorFolder
            )
        }
        folders += [locator.workspace.root, locator.workspace.home].compactMap { $0 }
        var seen = Set<String>()
        return folders.map { $0.appendingPathComponent(name).standardizedFileURL }.filter {
            seen.insert($0.path).inserted
        }
    }
}
