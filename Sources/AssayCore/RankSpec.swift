/// A multi-rank target (`backend.ranks:`, docs/FORMATS.md): one plugin process per rank, each
/// with its own device and environment, meeting at a rendezvous address and port.
public struct RankSpec: Codable, Sendable, Equatable {
    /// One rank's own settings, over the backend's.
    public struct Rank: Codable, Sendable, Equatable {
        public var device: String?
        public var env: [String: String]
        public init(device: String? = nil, env: [String: String] = [:]) {
            self.device = device
            self.env = env
        }
    }

    public var count: Int
    /// Where rank 0 listens (default loopback).
    public var address: String
    /// Rank 0's port; nil: a free port chosen by the harness at every (re)start of the ranks.
    public var port: Int?
    /// Per-rank settings by rank (fewer entries than `count`: the rest use the backend's).
    public var perRank: [Rank]

    public init(count: Int, address: String = "127.0.0.1", port: Int? = nil, perRank: [Rank] = []) {
        self.count = count
        self.address = address
        self.port = port
        self.perRank = perRank
    }

    public func rank(_ index: Int) -> Rank { index < perRank.count ? perRank[index] : Rank() }
}

extension RankSpec {
    /// `ranks: 4`, or `ranks: {count: 4, address: 10.0.0.1, port: 29500, per_rank: [{device: cuda:0, env: {…}}, …]}`.
    init(yaml: YAMLValue, expand: (YAMLValue) throws -> String) throws {
        if case .scalar = yaml.node {
            self.init(count: try yaml.positiveInt())
            return
        }
        let map = try yaml.mapping(allowed: ["count", "address", "port", "per_rank"])
        let count = try map.required("count").positiveInt()
        var port: Int?
        if let value = map["port"] {
            let number = try value.int()
            guard (1...65535).contains(number) else { throw value.error("port must be in 1...65535") }
            port = number
        }
        let perRank =
            try map["per_rank"]?.sequence().map { item -> Rank in
                let entry = try item.mapping(allowed: ["device", "env"])
                var env: [String: String] = [:]
                if let value = entry["env"] {
                    for (key, setting) in try value.freeMapping() { env[key] = try expand(setting) }
                }
                return Rank(device: try entry["device"].map(expand), env: env)
            } ?? []
        if perRank.count > count, let value = map["per_rank"] {
            throw value.error("\(perRank.count) per_rank entries for \(count) ranks")
        }
        self.init(count: count, address: try map["address"]?.string() ?? "127.0.0.1", port: port, perRank: perRank)
    }
}
