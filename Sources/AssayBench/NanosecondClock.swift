/// A monotonic clock read in nanoseconds from an arbitrary origin.
///
/// The sampler and the calibration take one instead of reading the system clock
/// directly, so tests can drive them with synthetic time.
public protocol NanosecondClock {
    func nanoseconds() -> UInt64
}
