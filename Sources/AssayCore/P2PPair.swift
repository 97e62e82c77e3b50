/// One cell of the peer-to-peer matrix: rank `source` copying the case's bytes to rank
/// `destination`, from the median of the slower of the two ranks' time per copy.
public struct P2PPair: Codable, Sendable, Equatable {
    public var source: Int
    public var destination: Int
    /// bytes / median time per copy, GB/s (10⁹ bytes/s).
    public var gbs: Double
    public var latencyMicroseconds: Double

    public init(source: Int, destination: Int, gbs: Double, latencyMicroseconds: Double) {
        self.source = source
        self.destination = destination
        self.gbs = gbs
        self.latencyMicroseconds = latencyMicroseconds
    }
}
