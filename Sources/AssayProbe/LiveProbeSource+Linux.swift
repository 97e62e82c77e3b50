#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LiveProbeSource {
    /// SIGKILL for a tool that ignored SIGTERM; `Process` only offers SIGTERM and SIGINT.
    static func forceKill(_ pid: Int32) {
        guard pid > 0 else { return }
        _ = kill(pid, SIGKILL)
    }
}
