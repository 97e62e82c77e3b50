import AssayCore

/// The plugin's `hello` reply (docs/PROTOCOL.md, Handshake). `backend`, `timer` and
/// `capabilities` are required; `protocol` is checked by `PluginBackend.identity(from:)`, which
/// names both versions when they differ.
struct PluginHello: Decodable, Equatable, Sendable {
    var id: Int?
    var `protocol`: Int?
    var minor: Int?
    var features: [String]?
    var shm: SharedMemoryGrant?
    var backend: Backend
    var devices: [Device]?
    var timer: String
    var capabilities: [String: [String]]
    var runtime: [String: LooseString]?

    struct Backend: Decodable, Equatable, Sendable {
        var name: String
        var version: String?
    }

    struct Device: Decodable, Equatable, Sendable {
        var index: Int?
        var name: String?
        var kind: String?
        var memoryBytes: Double?
        var driver: LooseString?
        var runtime: LooseString?
        var maxClockMHz: Double?
        var pciBusID: String?
        var numaNode: Int?
        var numaReason: String?
        enum CodingKeys: String, CodingKey {
            case index, name, kind, driver, runtime
            case memoryBytes = "memory_bytes"
            case maxClockMHz = "max_clock_mhz"
            case pciBusID = "pci_bus_id"
            case numaNode = "numa_node"
            case numaReason = "numa_reason"
        }
    }
}

/// A version-like field that a plugin may write as a string or a number.
struct LooseString: Decodable, Equatable, Sendable {
    var value: String
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int.self) {
            value = String(number)
        } else if let number = try? container.decode(Double.self) {
            value = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            value = String(flag)
        } else if container.decodeNil() {
            value = ""
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or a number")
        }
    }
}
