import AssayBackend
import AssayCore
import Foundation

/// Starts the backend a target descriptor names: the built-in CPU backend, a plugin process,
/// or one plugin process per rank (`backend.ranks`).
///
/// A plugin starts lazily; `RunSetup` describes the backend first, so a plugin that cannot
/// start (missing program, refused or failed handshake) ends `assay run` before any case with
/// exit 1 and the reason (including the plugin's last stderr lines), instead of a run whose
/// every case is a crash.
enum BackendFactory {
    static func make(_ descriptor: TargetDescriptor, root: URL) throws -> Backend {
        if descriptor.backend.builtin == "cpu" { return NativeCPUBackend(threads: descriptor.backend.threads) }
        if let ranks = descriptor.backend.ranks {
            return try RankGroup(spec: descriptor.backend, ranks: ranks, root: root)
        }
        return try PluginBackend(spec: descriptor.backend, root: root)
    }
}
