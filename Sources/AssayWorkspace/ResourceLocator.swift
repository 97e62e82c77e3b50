import AssayBuiltins
import AssayCore
import Foundation

/// Finds targets, suites and profiles: an explicit path; else `<Folder>/<id>.yaml` in the
/// workspace, then in `$ASSAY_HOME`, then among the built-ins.
public struct ResourceLocator: Sendable {
    public var workspace: Workspace
    public var builtins: [BuiltinFile]

    public init(workspace: Workspace, builtins: [BuiltinFile] = BuiltinFiles.all) {
        self.workspace = workspace
        self.builtins = builtins
    }

    /// A name with a `/` or a `.yaml`/`.yml` ending is a path (relative to the current directory).
    public static func isPath(_ name: String) -> Bool {
        name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    /// The file for `name`; an `InputError` (exit 2) when it is nowhere.
    public func locate(_ name: String, kind: ResourceKind) throws -> LocatedResource {
        if Self.isPath(name) {
            let url = workspace.currentDirectory.resolvingPath(name)
            let displayName = displayName(of: url)
            return LocatedResource(
                kind: kind,
                name: Self.stem(url.lastPathComponent),
                origin: .path,
                url: url,
                displayName: displayName,
                text: try Self.read(url, displayName: displayName)
            )
        }
        for folder in searchFolders(kind) {
            if let found = try file(named: name, in: folder.url, origin: folder.origin, kind: kind) { return found }
        }
        if let builtin = builtins.first(where: { $0.folder == kind.folder && $0.name == name }) {
            return Self.located(builtin, kind: kind)
        }
        let searched = searchFolders(kind).map { "\($0.url.path)/" } + ["the built-ins"]
        let hint = kind == .profile || kind == .model ? "" : " (`assay \(Self.noun(kind))s list` shows them)"
        throw InputError(
            file: "\(kind.folder)/\(name).yaml",
            message: "no \(Self.noun(kind)) '\(name)' in \(searched.joined(separator: ", "))\(hint)"
        )
    }

    /// Every resource of a kind by name, each from the first place that has it, sorted by name.
    /// Unreadable files are listed with empty text so that the listing can say so.
    public func list(_ kind: ResourceKind) -> [LocatedResource] {
        var found: [String: LocatedResource] = [:]
        for folder in searchFolders(kind) {
            for url in Self.yamlFiles(in: folder.url) where found[Self.stem(url.lastPathComponent)] == nil {
                let name = Self.stem(url.lastPathComponent)
                found[name] = LocatedResource(
                    kind: kind,
                    name: name,
                    origin: folder.origin,
                    url: url,
                    displayName: displayName(of: url),
                    text: (try? Self.read(url, displayName: url.path)) ?? ""
                )
            }
        }
        for builtin in builtins where builtin.folder == kind.folder && found[builtin.name] == nil {
            found[builtin.name] = Self.located(builtin, kind: kind)
        }
        return found.values.sorted { $0.name < $1.name }
    }

    /// The workspace folder, then `$ASSAY_HOME`'s, for one kind.
    func searchFolders(_ kind: ResourceKind) -> [(url: URL, origin: ResourceOrigin)] {
        var folders: [(URL, ResourceOrigin)] = []
        if let root = workspace.root { folders.append((root.appendingPathComponent(kind.folder), .workspace)) }
        if let home = workspace.home { folders.append((home.appendingPathComponent(kind.folder), .home)) }
        return folders
    }

    func file(named name: String, in folder: URL, origin: ResourceOrigin, kind: ResourceKind) throws -> LocatedResource?
    {
        for suffix in [".yaml", ".yml"] {
            let url = folder.appendingPathComponent(name + suffix)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let displayName = displayName(of: url)
            // Found but unreadable is an error here, not a reason to fall through to a built-in.
            return LocatedResource(
                kind: kind,
                name: name,
                origin: origin,
                url: url,
                displayName: displayName,
                text: try Self.read(url, displayName: displayName)
            )
        }
        return nil
    }

    /// Relative to the workspace root when inside it (`Targets/x.yaml`, as run records have
    /// always named inputs), the full path otherwise.
    func displayName(of url: URL) -> String {
        guard let root = workspace.root else { return url.path }
        let prefix = root.standardizedFileURL.path + "/"
        return url.path.hasPrefix(prefix) ? String(url.path.dropFirst(prefix.count)) : url.path
    }

    static func located(_ builtin: BuiltinFile, kind: ResourceKind) -> LocatedResource {
        LocatedResource(
            kind: kind,
            name: builtin.name,
            origin: .builtin,
            url: nil,
            displayName: "builtin:\(builtin.path)",
            text: builtin.text
        )
    }

    static func read(_ url: URL, displayName: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else {
            throw InputError(file: displayName, message: "cannot read the file (missing or not UTF-8)")
        }
        return text
    }

    static func yamlFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            folder.appendingPathComponent($0)
        }
    }

    static func stem(_ file: String) -> String { BuiltinFile.stem(file) }

    static func noun(_ kind: ResourceKind) -> String {
        switch kind {
        case .target: return "target"
        case .suite: return "suite"
        case .profile: return "profile"
        case .model: return "model"
        }
    }
}
