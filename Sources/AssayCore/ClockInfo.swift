/// What the harness measured about its own clock before a run: figures finer than the
/// resolution, or samples not far above the read overhead, cannot be trusted.
///
/// Measured by `AssayBench.ClockCalibration`; the run record stores it once per run.
public struct ClockInfo: Codable, Sendable, Equatable {
    /// The clock read, e.g. `clock_gettime(CLOCK_MONOTONIC)`.
    public var source: String
    /// Smallest nonzero difference seen between two consecutive reads, in nanoseconds;
    /// nil when the clock never advanced during calibration (a broken clock).
    public var resolutionNanoseconds: Double?
    /// Mean cost of one read, in nanoseconds.
    public var readOverheadNanoseconds: Double
    /// How many reads the calibration took.
    public var reads: Int

    public init(source: String, resolutionNanoseconds: Double?, readOverheadNanoseconds: Double, reads: Int) {
        self.source = source
        self.resolutionNanoseconds = resolutionNanoseconds
        self.readOverheadNanoseconds = readOverheadNanoseconds
        self.reads = reads
    }
}
