import AssayBench
import AssayCore

/// The requests of feature `graph` (docs/PROTOCOL.md, "Feature graph"). Their tensors travel in
/// the pipe: the shared region is staged for `execute` and `collective` only.
extension HarnessMessage {
    /// A graph and its weights, sent once; answered with a handle.
    struct LoadGraph: Equatable {
        var graph: PluginGraphWire
        /// One descriptor per declared weight, in declaration order (the payload's order).
        var weights: [WireTensor]
        var payloadBytes: Int
    }

    /// A run on given inputs (one per graph input, in order); `expose` names nodes whose
    /// outputs come back after the graph's outputs.
    struct RunGraph: Equatable {
        var handle: Int
        var expose: [String]
        var inputs: [WireTensor]
        var payloadBytes: Int
    }

    /// Timing of a loaded graph on the harness's inputs, with `benchmark`'s sampling rules.
    struct BenchmarkGraph: Equatable {
        var handle: Int
        var mode: PerformanceMode
        var k: Int
        var samples: Int
        var inputs: [WireTensor]
        var payloadBytes: Int
    }

    static func writeTensors(
        _ name: String,
        _ tensors: [WireTensor],
        payloadBytes: Int,
        to writer: inout JSONHeaderWriter
    ) {
        writer.key(name)
        writer.beginArray()
        for tensor in tensors { tensor.write(to: &writer) }
        writer.endArray()
        writer.field("payload_bytes", payloadBytes)
    }
}

extension HarnessMessage.LoadGraph {
    func write(to writer: inout JSONHeaderWriter) throws {
        try writer.field("graph", encoded: graph)
        HarnessMessage.writeTensors("weights", weights, payloadBytes: payloadBytes, to: &writer)
    }
}

extension HarnessMessage.RunGraph {
    func write(to writer: inout JSONHeaderWriter) {
        writer.field("handle", handle)
        writer.field("expose", strings: expose)
        HarnessMessage.writeTensors("inputs", inputs, payloadBytes: payloadBytes, to: &writer)
    }
}

extension HarnessMessage.BenchmarkGraph {
    func write(to writer: inout JSONHeaderWriter) {
        writer.field("handle", handle)
        writer.field("mode", mode.rawValue)
        writer.field("k", k)
        writer.field("samples", samples)
        HarnessMessage.writeTensors("inputs", inputs, payloadBytes: payloadBytes, to: &writer)
    }
}
