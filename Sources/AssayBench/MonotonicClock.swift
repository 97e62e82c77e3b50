#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The host's monotonic clock: `clock_gettime(CLOCK_MONOTONIC)` on Linux (a vDSO call,
/// no syscall, unaffected by NTP steps), the uptime clock through Foundation elsewhere.
public struct MonotonicClock: NanosecondClock, Sendable {
    public init() {}

    /// Names the clock in the run record.
    public static var source: String {
        #if canImport(Glibc)
        "clock_gettime(CLOCK_MONOTONIC)"
        #else
        "DispatchTime.uptimeNanoseconds"
        #endif
    }

    @inline(__always)
    public func nanoseconds() -> UInt64 {
        #if canImport(Glibc)
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
        #else
        return DispatchTime.now().uptimeNanoseconds
        #endif
    }
}
