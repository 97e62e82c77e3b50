import AssayCore
import Foundation

/// The folders Assay looks in for targets, suites and profiles: the workspace (the nearest
/// folder at or above the current directory holding `assay.yaml`, `Targets/`, `Suites/` or
/// `Profiles/`), then `$ASSAY_HOME`, then the copies built into the binary.
public struct Workspace: Sendable {
    public static let homeVariable = "ASSAY_HOME"

    /// The workspace folder, or nil outside any workspace.
    public var root: URL?
    /// `$ASSAY_HOME`, when set and not empty.
    public var home: URL?
    /// The workspace's `assay.yaml` (empty when there is none).
    public var settings: WorkspaceSettings
    /// Where relative paths on the command line are resolved.
    public var currentDirectory: URL

    public init(root: URL?, home: URL?, settings: WorkspaceSettings = WorkspaceSettings(), currentDirectory: URL) {
        self.root = root
        self.home = home
        self.settings = settings
        self.currentDirectory = currentDirectory
    }

    /// Finds the workspace from `directory` upwards and reads its `assay.yaml`.
    public static func discover(
        from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Workspace {
        let start = directory.standardizedFileURL
        let root = findRoot(from: start)
        let home = environment[homeVariable].flatMap { $0.isEmpty ? nil : start.resolvingPath($0) }
        var settings = WorkspaceSettings()
        if let root {
            let file = root.appendingPathComponent(WorkspaceSettings.fileName)
            if FileManager.default.fileExists(atPath: file.path) {
                guard let data = FileManager.default.contents(atPath: file.path),
                    let text = String(data: data, encoding: .utf8)
                else {
                    throw InputError(file: file.path, message: "cannot read the file (not readable or not UTF-8)")
                }
                settings = try WorkspaceSettings.parse(text: text, file: file.path)
            }
        }
        return Workspace(root: root, home: home, settings: settings, currentDirectory: start)
    }

    /// The nearest folder at or above `start` that holds `assay.yaml` or one of the data folders.
    static func findRoot(from start: URL) -> URL? {
        var directory = start
        while true {
            if isWorkspace(directory) { return directory }
            let parent = directory.deletingLastPathComponent().standardizedFileURL
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    static func isWorkspace(_ directory: URL) -> Bool {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent(WorkspaceSettings.fileName).path) { return true }
        return ResourceKind.allCases.contains { kind in
            var isDirectory: ObjCBool = false
            return manager.fileExists(
                atPath: directory.appendingPathComponent(kind.folder).path,
                isDirectory: &isDirectory
            ) && isDirectory.boolValue
        }
    }

    /// The folder plugin commands and relative descriptor paths are resolved against: the
    /// workspace, or the current directory outside one.
    public var baseDirectory: URL { root ?? currentDirectory }

    /// The root for run directories: `--out` when given (relative to the current directory),
    /// else the workspace's `reports` setting, else `Reports` in the base directory.
    public func reportsRoot(option: String?) -> URL {
        if let option { return currentDirectory.resolvingPath(option) }
        return baseDirectory.resolvingPath(settings.reports ?? "Reports")
    }

    /// The station key from `assay.yaml`, resolved against the workspace.
    public var stationKey: URL? {
        settings.stationKey.map { baseDirectory.resolvingPath($0) }
    }
}
