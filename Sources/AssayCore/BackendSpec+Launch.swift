import Foundation

extension BackendSpec {
    /// The spec as a run starts it, fixed once so that `--resume` from any directory starts the
    /// same plugin: `command` is the first of `command`/`fallback_command` whose program is
    /// found (the last one when none is, so the start fails naming it), with the program made
    /// an absolute path; `cwd` is absolute (relative to `root`, default `root`). A built-in
    /// backend is returned as it is.
    public func resolved(root: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> BackendSpec
    {
        guard builtin == nil, let command, !command.isEmpty else { return self }
        var spec = self
        let directory = root.resolvingPath(cwd ?? ".")
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = [command] + (fallbackCommand.map { [$0] } ?? [])
        let chosen =
            candidates.lazy.compactMap { argv -> [String]? in
                guard let program = Self.findProgram(argv[0], directory: directory, searchPath: searchPath) else {
                    return nil
                }
                return [program] + argv.dropFirst()
            }.first ?? candidates[candidates.count - 1]
        spec.command = chosen
        spec.fallbackCommand = nil
        spec.cwd = directory.path
        return spec
    }

    /// An executable `name`: a path (with a `/`) relative to `directory`, or a name on `searchPath`.
    /// The one program lookup of the harness: `resolved(root:)` and `TargetPreflight` both use it.
    /// A folder is never a program, though its search bit reads as executable.
    public static func findProgram(_ name: String, directory: URL, searchPath: String) -> String? {
        let manager = FileManager.default
        func isProgram(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.isExecutableFile(atPath: path) && manager.fileExists(atPath: path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        if name.contains("/") {
            let path = directory.resolvingPath(name).path
            return isProgram(path) ? path : nil
        }
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let path = directory.resolvingPath(String(folder)).appendingPathComponent(name).path
            if isProgram(path) { return path }
        }
        return nil
    }
}
