/// A backend's measure closure answered something the sampler cannot use.
public enum SamplerError: Error, Equatable, CustomStringConvertible {
    /// Asked for `requested` samples, got `received`.
    case wrongSampleCount(requested: Int, received: Int)
    /// An elapsed time that is negative, NaN or infinite.
    case invalidElapsed(Double)

    public var description: String {
        switch self {
        case let .wrongSampleCount(requested, received):
            "the backend returned \(received) samples where \(requested) were requested"
        case let .invalidElapsed(value):
            "the backend returned an invalid elapsed time (\(value) ns)"
        }
    }
}
