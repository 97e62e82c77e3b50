import AssayCore

/// One timed sample as a backend reports it: the elapsed time of k back-to-back calls
/// (from the host clock or the device's own timer) and, where the device reports it,
/// its state during the sample.
public struct MeasuredSample: Sendable, Equatable {
    /// Elapsed time of all k calls of the sample, in nanoseconds.
    public var elapsedNanoseconds: Double
    public var telemetry: TelemetrySample?
    /// The device allocator's peak over the request this sample came from, bytes, where the
    /// backend reports one (`benchmark_graph`'s `peak_bytes`); every sample of a request carries it.
    public var peakBytes: Double?

    public init(elapsedNanoseconds: Double, telemetry: TelemetrySample? = nil, peakBytes: Double? = nil) {
        self.elapsedNanoseconds = elapsedNanoseconds
        self.telemetry = telemetry
        self.peakBytes = peakBytes
    }
}
