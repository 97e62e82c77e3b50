import AssayBackend
import AssayCore
import Foundation

/// Starts the backend a target descriptor names.
enum BackendFactory {
    static func make(_ descriptor: TargetDescriptor, root: URL) throws -> Backend {
        if descriptor.backend.builtin == "cpu" { return NativeCPUBackend(threads: descriptor.backend.threads) }
        throw BackendError.unavailable("plugin backends are not available in this build")
    }
}
