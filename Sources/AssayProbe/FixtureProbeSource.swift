import Foundation

/// Reads a recorded system: a directory tree mirroring `/` plus canned tool outputs.
///
/// A fixture directory holds `root/` (e.g. `root/proc/cpuinfo`) and `commands/<tool>`
/// (the tool's standard output). A tool with no canned output is "not present", exactly
/// as on a machine without it. Commands are matched on the whole argv joined by spaces
/// first, then on the tool name alone.
public struct FixtureProbeSource: ProbeSource {
    public let root: URL
    public let commands: [String: String]

    public init(root: URL, commands: [String: String] = [:]) {
        self.root = root
        self.commands = commands
    }

    /// Loads `<fixture>/root` and `<fixture>/commands/*`; `extraCommands` override the files.
    public init(fixture: URL, extraCommands: [String: String] = [:]) {
        var commands: [String: String] = [:]
        let folder = fixture.appendingPathComponent("commands")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            if let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) {
                commands[name] = text
            }
        }
        commands.merge(extraCommands) { _, new in new }
        self.init(root: fixture.appendingPathComponent("root"), commands: commands)
    }

    /// Maps an absolute path into the tree; refuses `..` so a probe cannot leave the fixture.
    func hostPath(_ path: String) -> String? {
        let components = path.split(separator: "/")
        guard !components.contains("..") else { return nil }
        return components.reduce(root) { $0.appendingPathComponent(String($1)) }.path
    }

    public func readFile(_ path: String) -> String? {
        guard let host = hostPath(path), let data = FileManager.default.contents(atPath: host) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public func listDirectory(_ path: String) -> [String]? {
        guard let host = hostPath(path) else { return nil }
        return (try? FileManager.default.contentsOfDirectory(atPath: host))?.sorted()
    }

    public func fileExists(_ path: String) -> Bool {
        guard let host = hostPath(path) else { return false }
        return FileManager.default.fileExists(atPath: host)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: host)) != nil
    }

    public func readLink(_ path: String) -> String? {
        guard let host = hostPath(path) else { return nil }
        return try? FileManager.default.destinationOfSymbolicLink(atPath: host)
    }

    public func run(_ argv: [String]) -> CommandOutput? {
        guard let tool = argv.first else { return nil }
        guard let stdout = commands[argv.joined(separator: " ")] ?? commands[tool] else { return nil }
        return CommandOutput(stdout: stdout)
    }
}
