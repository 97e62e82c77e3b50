import AssayBackend
import AssayCore
import Foundation

/// Starts the backend a target descriptor names: the built-in CPU backend, or a plugin process.
///
/// A plugin starts lazily; `RunSetup` describes the backend first, so a plugin that cannot
/// start (missing program, refused or failed handshake) ends `assay run` before any case with
/// exit 1 and the reason (including the plugin's last stderr lines), instead of a run whose
/// every case is a crash.
enum BackendFactory {
    static func make(_ descriptor: TargetDescriptor, root: URL) throws -> Backend {
        if descriptor.backend.builtin == "cpu" { return NativeCPUBackend(threads: descriptor.backend.threads) }
        return try PluginBackend(spec: descriptor.backend, root: root)
    }
}
