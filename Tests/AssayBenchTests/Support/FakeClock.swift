@testable import AssayBench

/// Synthetic time: advances only when a test (or a synthetic backend) says so.
final class FakeClock: NanosecondClock {
    var now: UInt64
    /// Added on every read, to model a clock whose reads cost time.
    var step: UInt64

    init(now: UInt64 = 1_000_000, step: UInt64 = 0) {
        self.now = now
        self.step = step
    }

    func nanoseconds() -> UInt64 {
        defer { now += step }
        return now
    }

    func advance(nanoseconds: Double) { now += UInt64(nanoseconds.rounded()) }
}
