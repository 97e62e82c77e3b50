import AssayCore
import AssayGraph
import AssayOps
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

/// Feature `graph` against the shipped numpy plugin: a LLaMA decoder layer at toy size is loaded
/// once and run by handle, equal to the float64 reference within f32 tolerance, exposed nodes
/// included; it is timed, reloaded after a plugin restart, unloaded; a plugin that did not agree
/// the feature is driven node by node and never asked for graphs.
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct PluginGraphTests {
    static let layer = """
        id: toy-layer
        dtype: f32
        seed: 3
        inputs:
          x: {shape: [6, 16]}
          cos: {shape: [6, 2]}
          sin: {shape: [6, 2]}
        weights:
          n1: {shape: [16], init: ones}
          wq: {shape: [16, 16], std: 0.2}
          wk: {shape: [8, 16], std: 0.2}
          wv: {shape: [8, 16], std: 0.2}
          wo: {shape: [16, 16], std: 0.2}
          n2: {shape: [16], init: ones}
          wg: {shape: [24, 16], std: 0.2}
          wu: {shape: [24, 16], std: 0.2}
          wd: {shape: [16, 24], std: 0.2}
        nodes:
          - {name: h, op: rms_norm, inputs: [x, n1]}
          - {name: q, op: linear, inputs: [h, wq], attrs: {bias: false}}
          - {name: k, op: linear, inputs: [h, wk], attrs: {bias: false}}
          - {name: v, op: linear, inputs: [h, wv], attrs: {bias: false}}
          - {name: q3, op: reshape, inputs: [q], attrs: {to: [6, 4, 4]}}
          - {name: k3, op: reshape, inputs: [k], attrs: {to: [6, 2, 4]}}
          - {name: v3, op: reshape, inputs: [v], attrs: {to: [6, 2, 4]}}
          - {name: qr, op: rotary_embedding, inputs: [q3, cos, sin]}
          - {name: kr, op: rotary_embedding, inputs: [k3, cos, sin]}
          - {name: qt, op: transpose, inputs: [qr], attrs: {perm: [1, 0, 2]}}
          - {name: kt, op: transpose, inputs: [kr], attrs: {perm: [1, 0, 2]}}
          - {name: vt, op: transpose, inputs: [v3], attrs: {perm: [1, 0, 2]}}
          - {name: q4, op: reshape, inputs: [qt], attrs: {to: [1, 4, 6, 4]}}
          - {name: k4, op: reshape, inputs: [kt], attrs: {to: [1, 2, 6, 4]}}
          - {name: v4, op: reshape, inputs: [vt], attrs: {to: [1, 2, 6, 4]}}
          - {name: kg, op: repeat_interleave, inputs: [k4], attrs: {repeats: 2, axis: 1}}
          - {name: vg, op: repeat_interleave, inputs: [v4], attrs: {repeats: 2, axis: 1}}
          - {name: a, op: scaled_dot_product_attention, inputs: [q4, kg, vg], attrs: {causal: true}}
          - {name: a3, op: reshape, inputs: [a], attrs: {to: [4, 6, 4]}}
          - {name: at, op: transpose, inputs: [a3], attrs: {perm: [1, 0, 2]}}
          - {name: a2, op: reshape, inputs: [at], attrs: {to: [6, 16]}}
          - {name: o, op: linear, inputs: [a2, wo], attrs: {bias: false}}
          - {name: x2, op: add, inputs: [x, o]}
          - {name: h2, op: rms_norm, inputs: [x2, n2]}
          - {name: g, op: linear, inputs: [h2, wg], attrs: {bias: false}}
          - {name: u, op: linear, inputs: [h2, wu], attrs: {bias: false}}
          - {name: sg, op: silu, inputs: [g]}
          - {name: m, op: mul, inputs: [sg, u]}
          - {name: d, op: linear, inputs: [m, wd], attrs: {bias: false}}
          - {name: y, op: add, inputs: [x2, d]}
        outputs: [y]
        """

    static func numpy(features: [String] = PluginBackend.harnessFeatures) -> PluginBackend {
        plugin(["Backends/python/numpy_backend.py"], features: features)
    }

    static func plugin(_ script: [String], features: [String] = PluginBackend.harnessFeatures) -> PluginBackend {
        var configuration = PluginConfiguration(
            command: ["python3"] + script,
            workingDirectory: Repository.root.path,
            device: "cpu",
            maxRestarts: 1
        )
        configuration.features = features
        return PluginBackend(configuration: configuration)
    }

    func fixture() throws -> (Graph, [String: Tensor], [String: Tensor], [String: RefTensor]) {
        let graph = try Graph.parse(text: Self.layer, file: "toy-layer.yaml")
        let weights = try GraphWeights.values(of: graph)
        let angles = (0..<6).flatMap { p in (0..<2).map { i in Double(p) * pow(10000, -Double(i) / 2) } }
        let inputs = [
            "x": Tensor(dtype: .f32, shape: [6, 16], values: (0..<96).map { sin(Double($0) * 0.7) }),
            "cos": Tensor(dtype: .f32, shape: [6, 2], values: angles.map(cos)),
            "sin": Tensor(dtype: .f32, shape: [6, 2], values: angles.map(sin)),
        ]
        return (graph, weights, inputs, try GraphReference.run(graph, inputs: inputs, weights: weights))
    }

    /// max |got − expected| over max |expected| (f32 through ~30 nodes stays well below 1e-5).
    func relativeError(_ got: Tensor?, _ expected: RefTensor?) -> Double {
        guard let got, let expected, got.shape.dims == expected.shape else { return .infinity }
        let scale = expected.data.map(abs).max() ?? 0
        return zip(got.values(), expected.data).map { abs($0 - $1) }.max().map { $0 / max(scale, 1e-300) } ?? 0
    }

    @Test func aLoadedGraphRunsByHandleAndEqualsTheReference() throws {
        let (graph, weights, inputs, reference) = try fixture()
        let backend = Self.numpy()
        defer { backend.shutdown() }
        let executor = GraphExecution.executor(for: backend)
        #expect(executor === backend && executor.graphExecution == .graph)
        let handle = try executor.loadGraph(graph, weights: weights)
        let out = try executor.runGraph(handle, inputs: inputs, exposing: ["kg", "x", "y", "a2"])
        #expect(Set(out.keys) == ["y", "kg", "x", "a2"])
        for name in ["y", "kg", "a2"] { #expect(relativeError(out[name], reference[name]) < 1e-5, "\(name)") }
        #expect(out["x"] == inputs["x"])
        // the check can fail: a wrong output is far outside the tolerance
        let wrong = Tensor(dtype: .f32, shape: [6, 16], values: out["y"]!.values().map { $0 * 1.001 })
        #expect(relativeError(wrong, reference["y"]) > 1e-5)
        let samples = try executor.benchmarkGraph(
            GraphBenchmarkRequest(handle: handle, inputs: inputs, mode: .warm, k: 2, samples: 3)
        )
        #expect(samples.count == 3 && samples.allSatisfy { $0.elapsedNanoseconds > 0 })
        try executor.unloadGraph(handle)
        #expect(throws: BackendError.self) { try executor.runGraph(handle, inputs: inputs, exposing: []) }
        #expect(throws: BackendError.self) { try executor.unloadGraph(handle) }
        #expect(backend.startCount == 1)
    }

    @Test(.enabled(if: Python.canImport("torch"), "torch is not installed"))
    func theTorchPluginRunsTheGraphOnItsDevice() throws {
        let (graph, weights, inputs, reference) = try fixture()
        let backend = Self.plugin(["Backends/python/torch_backend.py", "--device", "cpu"])
        defer { backend.shutdown() }
        let executor = GraphExecution.executor(for: backend)
        #expect(executor === backend)
        let handle = try executor.loadGraph(graph, weights: weights)
        let out = try executor.runGraph(handle, inputs: inputs, exposing: ["h2"])
        #expect(relativeError(out["y"], reference["y"]) < 1e-5 && relativeError(out["h2"], reference["h2"]) < 1e-5)
        try executor.unloadGraph(handle)
    }

    @Test func aRestartedPluginGetsTheGraphAgain() throws {
        let (graph, weights, inputs, reference) = try fixture()
        let backend = Self.numpy()
        defer { backend.shutdown() }
        let handle = try backend.loadGraph(graph, weights: weights)
        let first = try backend.runGraph(handle, inputs: inputs, exposing: [])["y"]
        backend.shutdown()  // the next request starts a fresh process, which holds no graphs
        let again = try backend.runGraph(handle, inputs: inputs, exposing: [])["y"]
        #expect(backend.startCount == 2 && again == first)
        #expect(relativeError(again, reference["y"]) < 1e-5)
        try backend.unloadGraph(handle)
    }

    @Test func badRequestsAreRefusedBeforeOrByThePlugin() throws {
        let (graph, weights, inputs, _) = try fixture()
        let backend = Self.numpy()
        defer { backend.shutdown() }
        #expect(throws: BackendError.self) { try backend.loadGraph(graph, weights: [:]) }
        let handle = try backend.loadGraph(graph, weights: weights)
        #expect(throws: BackendError.self) { try backend.runGraph(handle, inputs: ["x": inputs["x"]!], exposing: []) }
        #expect(throws: BackendError.self) { try backend.runGraph(handle, inputs: inputs, exposing: ["nope"]) }
        var short = inputs
        short["x"] = Tensor(dtype: .f32, shape: [5, 16], values: Array(repeating: 0, count: 80))
        do {
            _ = try backend.runGraph(handle, inputs: short, exposing: [])
            Issue.record("a wrong input shape was accepted")
        } catch BackendError.invalid(let message) {
            #expect(message.contains("inputs[0]: graph input 'x' is f32 [6, 16], got f32 [5, 16]"), "\(message)")
        }
        #expect(backend.startCount == 1, "refusals do not restart the plugin")
    }

    @Test func aPluginWithoutTheFeatureIsDrivenNodeByNode() throws {
        let (graph, weights, inputs, reference) = try fixture()
        let backend = Self.numpy(features: ["collective", "shm"])  // a harness that does not offer graph
        defer { backend.shutdown() }
        #expect(!backend.offersGraphs)
        let executor = GraphExecution.executor(for: backend)
        #expect(executor !== backend && executor.graphExecution == .nodeByNode)
        let handle = try executor.loadGraph(graph, weights: weights)
        let out = try executor.runGraph(handle, inputs: inputs, exposing: [])
        #expect(relativeError(out["y"], reference["y"]) < 1e-5)
        // asked anyway, the plugin refuses: the feature was not agreed
        #expect(throws: BackendError.self) { try backend.loadGraph(graph, weights: weights) }
    }
}

/// The graph requests' headers are docs/PROTOCOL.md's examples, object for object.
struct GraphMessageTests {
    @Test func eachGraphRequestIsADocumentedExample() throws {
        let graph = try Graph.parse(
            text: """
                id: gqa-block
                inputs:
                  x: {shape: [6, 16]}
                weights:
                  norm: {shape: [16], init: ones}
                  wq: {shape: [16, 16]}
                nodes:
                  - {name: h, op: rms_norm, inputs: [x, norm], attrs: {eps: 1.0e-6}}
                  - {name: q, op: linear, inputs: [h, wq], attrs: {bias: false}}
                outputs: [q]
                """,
            file: "g.yaml"
        )
        let x = WireTensor(dtype: "f32", shape: [6, 16], nbytes: 384)
        let messages: [HarnessMessage] = [
            .loadGraph(
                id: 3,
                .init(
                    graph: PluginGraphWire(graph),
                    weights: [
                        WireTensor(dtype: "f32", shape: [16], nbytes: 64),
                        WireTensor(dtype: "f32", shape: [16, 16], nbytes: 1024),
                    ],
                    payloadBytes: 1088
                )
            ),
            .runGraph(id: 4, .init(handle: 1, expose: ["h"], inputs: [x], payloadBytes: 384)),
            .benchmarkGraph(id: 5, .init(handle: 1, mode: .warm, k: 3, samples: 5, inputs: [x], payloadBytes: 384)),
            .unload(id: 6, handle: 1),
        ]
        let documented = HarnessMessageTests.documented()
        for message in messages {
            let object = try HarnessMessageTests.object(message)
            #expect(documented.contains(object), "\(message.type): \(object)")
        }
        // one field off is not documented (the check can fail)
        let off = try HarnessMessageTests.object(.unload(id: 6, handle: 2))
        #expect(!documented.contains(off))
    }
}
