import AssayCore

/// The request headers the harness sends (docs/PROTOCOL.md, Requests). Optional fields that
/// are nil are left out of the JSON.
struct PluginRequest: Encodable {
    var type: String
    var id: Int?
    var `protocol`: Int?
    var harness: String?
    var options: [String: String]?
    var op: String?
    var dtype: DType?
    var attrs: AttrMap?
    var inputs: [WireTensor]?
    var payloadBytes: Int?
    var seed: UInt64?
    var mode: String?
    var k: Int?
    var samples: Int?
    var direction: String?
    var bytes: Int?
    var pinned: Bool?
    // ABP 1.1 (hello): the minor version, the features the harness offers, a rank's rendezvous.
    var minor: Int?
    var features: [String]?
    var rendezvous: Rendezvous?
    // shm: the hello's offer; where a request's outputs may go
    var shm: SharedMemoryOffer?
    var shmOut: SharedMemoryWindow?
    // collective
    var root: Int?
    /// p2p_copy: the destination rank (`root` is the source).
    var peer: Int?
    var inPlace: Bool?
    var peerTimeoutSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case type, id, `protocol`, harness, options, op, dtype, attrs, inputs, seed, mode, k, samples, direction, bytes,
            pinned
        case minor, features, rendezvous, root, peer, shm
        case shmOut = "shm_out"
        case payloadBytes = "payload_bytes"
        case inPlace = "in_place"
        case peerTimeoutSeconds = "peer_timeout_s"
    }

    init(type: String, id: Int? = nil) {
        self.type = type
        self.id = id
    }
}
