import AssayCore

/// Measures a clock's resolution and read overhead before a run, so the record can show
/// that samples (≥ 1 ms host, ≥ 50 µs device) sit far above both.
public enum ClockCalibration {
    /// Reads `clock` back to back at least `reads` times (more, up to `maxReads`, until it
    /// has advanced once).
    ///
    /// - resolution: the smallest nonzero difference between consecutive reads — what the
    ///   clock can actually tell apart, which includes its own read cost;
    /// - overhead: the time spanned by all reads divided by their number.
    public static func measure(
        clock: some NanosecondClock = MonotonicClock(),
        source: String = MonotonicClock.source,
        reads: Int = 100_000,
        maxReads: Int = 50_000_000
    ) -> ClockInfo {
        let start = clock.nanoseconds()
        var previous = start
        var smallest = UInt64.max
        var count = 0
        while count < reads || (smallest == .max && count < maxReads) {
            let now = clock.nanoseconds()
            count += 1
            if now > previous { smallest = min(smallest, now - previous) }
            previous = now
        }
        let span = previous >= start ? previous - start : 0
        return ClockInfo(
            source: source,
            resolutionNanoseconds: smallest == .max ? nil : Double(smallest),
            readOverheadNanoseconds: count > 0 ? Double(span) / Double(count) : 0,
            reads: count
        )
    }
}
