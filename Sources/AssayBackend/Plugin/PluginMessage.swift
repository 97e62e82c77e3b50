import AssayBench
import AssayCore
import Foundation

/// What the plugin answers (docs/PROTOCOL.md): one case per reply type with its fields typed.
/// Decoding validates once, against the request it answers (`Expectation`): the reply type,
/// every required field and its type, the samples (count, each positive and finite; telemetry
/// one entry per sample) and memory figures. Code downstream trusts what it gets; unknown
/// fields are ignored (docs/PROTOCOL.md, Versioning).
enum PluginMessage: Equatable {
    case hello(PluginHello)
    case result(id: Int?, outputs: [WireTensor], payloadBytes: Int)
    case samples(id: Int?, [MeasuredSample])
    case memory(id: Int?, totalBytes: Double, freeBytes: Double)
    case bye(id: Int?)
    case error(id: Int?, code: String?, message: String?)
    // feature graph: a loaded graph's handle, an unloaded one
    case graph(id: Int?, handle: Int)
    case unloaded(id: Int?, handle: Int)

    /// The reply types, as the wire names them.
    enum Kind: String, Equatable {
        case hello, result, samples, memory, bye, error
        // feature graph
        case graph, unloaded
    }

    /// The successful reply a request gets, and for `samples` how many values it must hold.
    struct Expectation: Equatable {
        var kind: Kind
        var count: Int?

        static let hello = Expectation(kind: .hello)
        static let result = Expectation(kind: .result)
        static let memory = Expectation(kind: .memory)
        static let bye = Expectation(kind: .bye)
        static func samples(_ count: Int) -> Expectation { Expectation(kind: .samples, count: count) }
        static let graph = Expectation(kind: .graph)
        static let unloaded = Expectation(kind: .unloaded)

        /// Where the decoder finds the expectation (nil: any well-formed reply, for raw probes).
        static let key = CodingUserInfoKey(rawValue: "assay.expectation")!
    }

    var kind: Kind {
        switch self {
        case .hello: .hello
        case .result: .result
        case .samples: .samples
        case .memory: .memory
        case .bye: .bye
        case .error: .error
        case .graph: .graph
        case .unloaded: .unloaded
        }
    }

    var type: String { kind.rawValue }

    var id: Int? {
        switch self {
        case .hello(let hello): hello.id
        case .result(let id, _, _), .samples(let id, _), .memory(let id, _, _), .bye(let id), .error(let id, _, _),
            .graph(let id, _), .unloaded(let id, _):
            id
        }
    }

    /// The bytes after the header: only a `result` carries any.
    var payloadBytes: Int {
        if case .result(_, _, let bytes) = self { return bytes }
        return 0
    }
}

/// A reply that is well-formed JSON but breaks the protocol, naming the field.
struct WireViolation: Error, CustomStringConvertible {
    var field: String
    var reason: String
    var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

extension PluginMessage: Decodable {
    enum CodingKeys: String, CodingKey {
        case type, id, outputs, telemetry, code, message, `protocol`, handle
        case payloadBytes = "payload_bytes"
        case elapsedNs = "elapsed_ns"
        case totalBytes = "total_bytes"
        case freeBytes = "free_bytes"
        case peakBytes = "peak_bytes"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        let id = try container.decodeIfPresent(Int.self, forKey: .id)
        let expected = decoder.userInfo[Expectation.key] as? Expectation
        if let expected, type != expected.kind.rawValue, type != Kind.error.rawValue {
            throw WireViolation(field: "type", reason: "expected a '\(expected.kind.rawValue)' reply, got '\(type)'")
        }
        let payloadBytes = try container.decodeIfPresent(Int.self, forKey: .payloadBytes) ?? 0
        if type != Kind.result.rawValue, payloadBytes != 0 {
            throw WireViolation(
                field: "payload_bytes",
                reason: "payload_bytes \(payloadBytes) exceeds 0 bytes, the largest reply this request allows"
            )
        }
        guard let kind = Kind(rawValue: type) else {
            throw WireViolation(field: "type", reason: "unknown reply type '\(type)'")
        }
        switch kind {
        case .hello:
            // Another major may change every other field: its version is the one thing to name.
            let version = try container.decodeIfPresent(Int.self, forKey: .protocol)
            guard version == PluginBackend.protocolVersion else {
                throw WireViolation(
                    field: "protocol",
                    reason:
                        "the plugin speaks protocol \(version.map(String.init) ?? "(none)"), the harness \(PluginBackend.protocolVersion)"
                )
            }
            self = .hello(try PluginHello(from: decoder))
        case .result:
            self = .result(
                id: id,
                outputs: try container.decode([WireTensor].self, forKey: .outputs),
                payloadBytes: payloadBytes
            )
        case .samples:
            var samples = try Self.samples(in: container, expected: expected)
            // `benchmark_graph`: the allocator's peak over the request, where the backend has one.
            if container.contains(.peakBytes) {
                let peak = try Self.size(.peakBytes, in: container)
                for index in samples.indices { samples[index].peakBytes = peak }
            }
            self = .samples(id: id, samples)
        case .memory:
            self = .memory(
                id: id,
                totalBytes: try Self.size(.totalBytes, in: container),
                freeBytes: try Self.size(.freeBytes, in: container)
            )
        case .bye:
            self = .bye(id: id)
        case .graph:
            self = .graph(id: id, handle: try container.decode(Int.self, forKey: .handle))
        case .unloaded:
            self = .unloaded(id: id, handle: try container.decode(Int.self, forKey: .handle))
        case .error:
            self = .error(
                id: id,
                code: try container.decodeIfPresent(String.self, forKey: .code),
                message: try container.decodeIfPresent(String.self, forKey: .message)
            )
        }
    }

    /// `elapsed_ns`: exactly the requested count, each positive and finite (a zero is a broken
    /// timer, which would read as an infinitely fast op); `telemetry`, when present, one entry
    /// (or null) per sample.
    private static func samples(
        in container: KeyedDecodingContainer<CodingKeys>,
        expected: Expectation?
    ) throws -> [MeasuredSample] {
        let values = try container.decode([Double?].self, forKey: .elapsedNs)
        if let count = expected?.count, values.count != count {
            throw WireViolation(field: "elapsed_ns", reason: "\(values.count) samples for \(count) requested")
        }
        let elapsed = try values.enumerated().map { index, value in
            guard let value, value.isFinite, value > 0 else {
                throw WireViolation(
                    field: "",
                    reason:
                        "elapsed_ns[\(index)] is \(value.map { "\($0)" } ?? "null"); every sample must be positive and finite"
                )
            }
            return value
        }
        guard let telemetry = try container.decodeIfPresent([WireTelemetry?].self, forKey: .telemetry) else {
            return elapsed.map { MeasuredSample(elapsedNanoseconds: $0) }
        }
        guard telemetry.count == elapsed.count else {
            throw WireViolation(
                field: "telemetry",
                reason: "\(telemetry.count) telemetry entries for \(elapsed.count) samples"
            )
        }
        return zip(elapsed, telemetry).map { MeasuredSample(elapsedNanoseconds: $0, telemetry: $1?.sample) }
    }

    /// A byte count of the `memory` reply: present, finite, non-negative.
    private static func size(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Double {
        let value = try container.decode(Double.self, forKey: key)
        guard value.isFinite, value >= 0 else {
            throw WireViolation(field: key.stringValue, reason: "\(value) is not a non-negative number")
        }
        return value
    }
}

/// One `telemetry` entry: fields that could not be read are absent or null.
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
