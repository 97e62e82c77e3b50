import AssayBench

/// A point on the monotonic clock by which an exchange with the plugin must finish.
struct Deadline {
    private static let clock = MonotonicClock()
    let endNanoseconds: UInt64
    let seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
        endNanoseconds = Deadline.clock.nanoseconds() &+ UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }

    /// Milliseconds left for poll(2), rounded up so a sub-millisecond rest still waits; 0 when past.
    var remainingMilliseconds: Int32 {
        let now = Deadline.clock.nanoseconds()
        guard now < endNanoseconds else { return 0 }
        return Int32(min(UInt64(Int32.max), (endNanoseconds - now + 999_999) / 1_000_000))
    }
}
