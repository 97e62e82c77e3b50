/// Where the ranks of a multi-rank target meet (the hello's `rendezvous`, ABP 1.1 feature
/// `collective`): this process's rank, the world size, and rank 0's address and port.
public struct Rendezvous: Codable, Sendable, Equatable {
    public var rank: Int
    public var worldSize: Int
    public var address: String
    public var port: Int

    enum CodingKeys: String, CodingKey {
        case rank, address, port
        case worldSize = "world_size"
    }

    public init(rank: Int, worldSize: Int, address: String, port: Int) {
        self.rank = rank
        self.worldSize = worldSize
        self.address = address
        self.port = port
    }
}
