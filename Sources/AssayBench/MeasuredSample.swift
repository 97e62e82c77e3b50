import AssayCore

/// One timed sample as a backend reports it: the elapsed time of k back-to-back calls
/// (from the host clock or the device's own timer) and, where the device reports it,
/// its state during the sample.
public struct MeasuredSample: Sendable, Equatable {
    /// Elapsed time of all k calls of the sample, in nanoseconds.
    public var elapsedNanoseconds: Double
    public var telemetry: TelemetrySample?

    public init(elapsedNanoseconds: Double, telemetry: TelemetrySample? = nil) {
        self.elapsedNanoseconds = elapsedNanoseconds
        self.telemetry = telemetry
    }
}
