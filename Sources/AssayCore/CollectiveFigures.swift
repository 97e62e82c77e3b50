/// The figures of a collective case (docs/FORMATS.md, "Collectives"): the size, the ranks, and
/// the nccl-tests bandwidths from the median of the slowest rank's time per call.
public struct CollectiveFigures: Codable, Sendable, Equatable {
    public var op: CollectiveOp
    public var ranks: Int
    /// The nccl-tests size: the whole buffer (gathered/scattered buffer for blocked ops).
    public var bytes: Int
    public var inPlace: Bool
    public var root: Int
    /// bytes / median time per call, GB/s (10⁹ bytes/s).
    public var algorithmGBs: Double?
    /// algorithm bandwidth × the op's bus factor, GB/s.
    public var busGBs: Double?
    /// Median time per call (the slowest rank's), µs: the latency at small sizes.
    public var latencyMicroseconds: Double?
    /// The target's declared link bandwidth (`capabilities.link_gbs`) and the bus figure's share of it, %.
    public var linkGBs: Double?
    public var percentOfLink: Double?
    /// p2p_copy: every ordered pair's copy bandwidth (the peer-to-peer matrix); the figures
    /// above are then the slowest pair's.
    public var pairs: [P2PPair]?

    public init(op: CollectiveOp, ranks: Int, bytes: Int, inPlace: Bool, root: Int) {
        self.op = op
        self.ranks = ranks
        self.bytes = bytes
        self.inPlace = inPlace
        self.root = root
    }

    /// Fills the bandwidths from the median nanoseconds per call, and the share of `linkGBs`.
    public mutating func apply(medianNanoseconds: Double, linkGBs: Double?) {
        guard medianNanoseconds > 0, medianNanoseconds.isFinite else { return }
        latencyMicroseconds = medianNanoseconds / 1e3
        let algorithm = Double(bytes) / medianNanoseconds  // bytes per ns = GB/s
        algorithmGBs = algorithm
        busGBs = algorithm * op.busFactor(ranks: ranks)
        self.linkGBs = linkGBs
        if let linkGBs, linkGBs > 0, let bus = busGBs { percentOfLink = bus / linkGBs * 100 }
    }
}
