import AssayCore
import Foundation

/// Checks, before a run directory is made or a process started, that a plugin target can start
/// here: its `cwd` is an existing folder and its program exists and is executable. Each problem
/// is an `InputError` at the descriptor's line and field (`backend.cwd`, `backend.command[0]`),
/// instead of an error from whatever program the plugin was meant to run.
public enum TargetPreflight {
    /// `text` is the descriptor as written (for line numbers); `root` is what `cwd` is relative to.
    public static func check(_ descriptor: TargetDescriptor, text: String, file: String, root: URL) throws {
        guard let command = descriptor.backend.command, let program = command.first else { return }
        let document = try YAMLValue.load(text: text, file: file)
        let backend = try document.freeMapping().first { $0.0 == "backend" }?.1
        let fields = try backend?.freeMapping() ?? []
        func located(_ key: String) -> YAMLValue? { fields.first { $0.0 == key }?.1 }
        let directory =
            descriptor.backend.cwd.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL } ?? root
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) || !isDirectory.boolValue
        {
            let message = "the plugin's working directory \(directory.path) does not exist or is not a folder"
            throw located("cwd")?.error(message) ?? InputError(file: file, field: "backend.cwd", message: message)
        }
        guard resolve(program, in: directory) == nil else { return }
        let where_ = program.contains("/") ? "relative to \(directory.path)" : "on PATH"
        let message = "the plugin program '\(program)' is not an executable file \(where_)"
        let commandNode = try located("command")?.listOrSingle().first
        throw commandNode?.error(message) ?? InputError(file: file, field: "backend.command[0]", message: message)
    }

    /// The executable `program` names: a path (relative to the plugin's folder, where the plugin is
    /// started) or a name on the harness's PATH, as posix_spawnp looks it up.
    static func resolve(_ program: String, in directory: URL) -> String? {
        BackendSpec.findProgram(
            program,
            directory: directory,
            searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        )
    }
}
