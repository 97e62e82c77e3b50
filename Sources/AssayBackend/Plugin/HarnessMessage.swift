import AssayBench
import AssayCore

/// What the harness sends the plugin (docs/PROTOCOL.md, Requests): one case per request type,
/// each with exactly the fields that type has, so a request without its fields cannot be built.
/// `header()` writes the JSON line the protocol documents.
enum HarnessMessage: Equatable {
    case hello(Hello)
    case execute(id: Int, Execute)
    case benchmark(id: Int, Benchmark)
    case transfer(id: Int, Transfer)
    case memory(id: Int)
    case collective(id: Int, Collective)
    case shutdown(id: Int)
    // feature graph (HarnessMessage+Graph.swift)
    case loadGraph(id: Int, LoadGraph)
    case runGraph(id: Int, RunGraph)
    case benchmarkGraph(id: Int, BenchmarkGraph)
    case unload(id: Int, handle: Int)

    struct Hello: Equatable {
        var protocolVersion: Int
        var minor: Int
        var harness: String
        var options: [String: String]
        var features: [String]
        var rendezvous: Rendezvous?
        var shm: SharedMemoryOffer?
    }

    /// The op call `execute` and `benchmark` share.
    struct OpCall: Equatable {
        var op: String
        var dtype: DType
        var attrs: AttrMap
        /// Descriptors in payload order; those with `shm_offset` are in the region, not the payload.
        var inputs: [WireTensor]
    }

    struct Execute: Equatable {
        var call: OpCall
        var payloadBytes: Int
        var shmOut: SharedMemoryWindow?
    }

    struct Benchmark: Equatable {
        var call: OpCall
        var seed: UInt64
        var mode: PerformanceMode
        var k: Int
        var samples: Int
    }

    struct Transfer: Equatable {
        var direction: TransferDirection
        var bytes: Int
        var pinned: Bool
        var samples: Int
    }

    struct Collective: Equatable {
        enum Mode: String { case check, time }
        var op: CollectiveOp
        var dtype: DType
        var bytes: Int
        var inPlace: Bool
        var root: Int
        /// p2p_copy: the destination rank (`root` is the source).
        var peer: Int?
        var mode: Mode
        var k: Int
        var samples: Int
        var peerTimeoutSeconds: Double
        var shmOut: SharedMemoryWindow?
    }

    var type: String {
        switch self {
        case .hello: "hello"
        case .execute: "execute"
        case .benchmark: "benchmark"
        case .transfer: "transfer"
        case .memory: "memory"
        case .collective: "collective"
        case .shutdown: "shutdown"
        case .loadGraph: "load_graph"
        case .runGraph: "run_graph"
        case .benchmarkGraph: "benchmark_graph"
        case .unload: "unload"
        }
    }

    /// The request id the reply must echo (the hello carries none).
    var id: Int? {
        switch self {
        case .hello: nil
        case .execute(let id, _), .benchmark(let id, _), .transfer(let id, _), .memory(let id),
            .collective(let id, _), .shutdown(let id), .loadGraph(let id, _), .runGraph(let id, _),
            .benchmarkGraph(let id, _), .unload(let id, _):
            id
        }
    }

    /// The reply this request gets when it succeeds (any request may also get an `error`), and
    /// for `samples` how many values it must hold: the decoder checks both.
    var expectedReply: PluginMessage.Expectation {
        switch self {
        case .hello: .hello
        case .execute: .result
        case .benchmark(_, let request): .samples(request.samples)
        case .transfer(_, let request): .samples(request.samples)
        case .memory: .memory
        case .collective(_, let request): request.mode == .check ? .result : .samples(request.samples)
        case .shutdown: .bye
        case .loadGraph: .graph
        case .runGraph: .result
        case .benchmarkGraph(_, let request): .samples(request.samples)
        case .unload: .unloaded
        }
    }

    /// Whether the request may carry tensors and take outputs in shared memory (feature shm).
    var carriesTensors: Bool {
        switch self {
        case .execute, .collective: true
        default: false
        }
    }

    /// Feature shm: the inputs' new descriptors (some now in the region), the pipe payload left
    /// and the outputs' window. Only requests that carry tensors change.
    mutating func stage(inputs: [WireTensor]?, payloadBytes: Int, shmOut: SharedMemoryWindow) {
        switch self {
        case .execute(let id, var request):
            if let inputs {
                request.call.inputs = inputs
                request.payloadBytes = payloadBytes
            }
            request.shmOut = shmOut
            self = .execute(id: id, request)
        case .collective(let id, var request):
            request.shmOut = shmOut
            self = .collective(id: id, request)
        default:
            break
        }
    }

    /// The header line, `\n` included.
    func header() throws -> [UInt8] {
        var writer = JSONHeaderWriter()
        writer.beginObject()
        writer.field("type", type)
        if let id { writer.field("id", id) }
        switch self {
        case .hello(let hello): try hello.write(to: &writer)
        case .execute(_, let request): try request.write(to: &writer)
        case .benchmark(_, let request): try request.write(to: &writer)
        case .transfer(_, let request): request.write(to: &writer)
        case .collective(_, let request): try request.write(to: &writer)
        case .loadGraph(_, let request): try request.write(to: &writer)
        case .runGraph(_, let request): request.write(to: &writer)
        case .benchmarkGraph(_, let request): request.write(to: &writer)
        case .unload(_, let handle): writer.field("handle", handle)
        case .memory, .shutdown: break
        }
        writer.endObject()
        return writer.line
    }
}

extension HarnessMessage.OpCall {
    func write(to writer: inout JSONHeaderWriter) throws {
        writer.field("op", op)
        writer.field("dtype", dtype.rawValue)
        try writer.field("attrs", attrs: attrs)
        writer.key("inputs")
        writer.beginArray()
        for tensor in inputs { tensor.write(to: &writer) }
        writer.endArray()
    }
}

extension HarnessMessage.Hello {
    func write(to writer: inout JSONHeaderWriter) throws {
        writer.field("protocol", protocolVersion)
        writer.field("minor", minor)
        writer.field("harness", harness)
        writer.field("options", object: options)
        writer.field("features", strings: features)
        if let rendezvous { try writer.field("rendezvous", encoded: rendezvous) }
        if let shm { try writer.field("shm", encoded: shm) }
    }
}

extension HarnessMessage.Execute {
    func write(to writer: inout JSONHeaderWriter) throws {
        try call.write(to: &writer)
        writer.field("payload_bytes", payloadBytes)
        if let shmOut { shmOut.write(to: &writer) }
    }
}

extension HarnessMessage.Benchmark {
    func write(to writer: inout JSONHeaderWriter) throws {
        try call.write(to: &writer)
        writer.field("seed", seed)
        writer.field("mode", mode.rawValue)
        writer.field("k", k)
        writer.field("samples", samples)
    }
}

extension HarnessMessage.Transfer {
    func write(to writer: inout JSONHeaderWriter) {
        writer.field("direction", direction.rawValue)
        writer.field("bytes", bytes)
        writer.field("pinned", pinned)
        writer.field("samples", samples)
    }
}

extension HarnessMessage.Collective {
    func write(to writer: inout JSONHeaderWriter) throws {
        writer.field("op", op.rawValue)
        writer.field("dtype", dtype.rawValue)
        writer.field("bytes", bytes)
        writer.field("in_place", inPlace)
        writer.field("root", root)
        if let peer { writer.field("peer", peer) }
        writer.field("mode", mode.rawValue)
        writer.field("k", k)
        writer.field("samples", samples)
        try writer.field("peer_timeout_s", peerTimeoutSeconds)
        if let shmOut { shmOut.write(to: &writer) }
    }
}

extension SharedMemoryWindow {
    /// `"shm_out":{"offset":…,"bytes":…}` (on the hot path: written by hand, not encoded).
    func write(to writer: inout JSONHeaderWriter) {
        writer.key("shm_out")
        writer.beginObject()
        writer.field("offset", offset)
        writer.field("bytes", bytes)
        writer.endObject()
    }
}
