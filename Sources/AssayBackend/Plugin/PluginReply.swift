import AssayCore

/// Any reply header the plugin may send; which fields are required depends on `type`.
/// Unknown fields are ignored (docs/PROTOCOL.md, Versioning).
public struct PluginReply: Decodable, Sendable {
    public var type: String
    public var id: Int?
    public var payloadBytes: Int?
    // error
    public var code: String?
    public var message: String?
    // hello
    var `protocol`: Int?
    var minor: Int?
    var features: [String]?
    var shm: SharedMemoryGrant?
    var backend: HelloBackend?
    var devices: [HelloDevice]?
    var timer: String?
    var capabilities: [String: [String]]?
    var runtime: [String: LooseString]?
    // result
    var outputs: [WireTensor]?
    // samples
    var elapsedNs: [Double?]?
    var telemetry: [WireTelemetry?]?
    // memory
    var totalBytes: Double?
    var freeBytes: Double?

    enum CodingKeys: String, CodingKey {
        case type, id, code, message, `protocol`, minor, features, shm, backend, devices, timer, capabilities, runtime,
            outputs, telemetry
        case payloadBytes = "payload_bytes"
        case elapsedNs = "elapsed_ns"
        case totalBytes = "total_bytes"
        case freeBytes = "free_bytes"
    }

    struct HelloBackend: Decodable, Sendable {
        var name: String
        var version: String?
    }

    struct HelloDevice: Decodable, Sendable {
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

    struct WireTelemetry: Decodable, Sendable {
        var smClockMHz: Double?
        var memClockMHz: Double?
        var powerW: Double?
        var temperatureC: Double?
        enum CodingKeys: String, CodingKey {
            case smClockMHz = "sm_clock_mhz"
            case memClockMHz = "mem_clock_mhz"
            case powerW = "power_w"
            case temperatureC = "temperature_c"
        }
        var sample: TelemetrySample {
            TelemetrySample(
                smClockMHz: smClockMHz,
                memClockMHz: memClockMHz,
                powerWatts: powerW,
                temperatureC: temperatureC
            )
        }
    }
}

/// A version-like field that a plugin may write as a string or a number.
struct LooseString: Decodable, Sendable {
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
