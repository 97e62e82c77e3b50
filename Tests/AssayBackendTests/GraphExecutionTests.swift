import AssayCore
import AssayGraph
import AssayOps
import Testing

@testable import AssayBackend

/// The graph seam: the native in-process executor and the node-by-node executor over any backend.
@Suite struct GraphExecutionTests {
    static let text = """
        id: tiny
        inputs:
          x: {shape: [3, 8]}
        weights:
          g: {shape: [8], init: ones}
          w: {shape: [4, 8]}
        nodes:
          - {name: h, op: rms_norm, inputs: [x, g]}
          - {name: y, op: linear, inputs: [h, w], attrs: {bias: false}}
          - {name: z, op: silu, inputs: [y]}
        outputs: [z]
        """

    func fixture() throws -> (Graph, [String: Tensor], [String: Tensor]) {
        let graph = try Graph.parse(text: Self.text, file: "tiny.yaml")
        let x = Tensor(dtype: .f32, shape: Shape([3, 8]), values: (0..<24).map { Double($0 % 7) - 3 })
        return (graph, try GraphWeights.values(of: graph), ["x": x])
    }

    @Test func nativeRunsInProcessAndNodeByNodeGivesTheSameOutputs() throws {
        let (graph, weights, inputs) = try fixture()
        let native = NativeCPUBackend(threads: 1)
        let executor = GraphExecution.executor(for: native)
        #expect(executor.graphExecution == .inProcess)
        let handle = try executor.loadGraph(graph, weights: weights)
        let direct = try executor.runGraph(handle, inputs: inputs, exposing: ["h"])
        #expect(Set(direct.keys) == ["z", "h"])
        let nodeByNode = NodeByNodeGraphExecutor(backend: native)
        #expect(nodeByNode.graphExecution == .nodeByNode)
        let other = try nodeByNode.loadGraph(graph, weights: weights)
        #expect(try nodeByNode.runGraph(other, inputs: inputs, exposing: [])["z"] == direct["z"])
        let samples = try executor.benchmarkGraph(
            GraphBenchmarkRequest(handle: handle, inputs: inputs, mode: .warm, k: 2, samples: 3)
        )
        #expect(samples.count == 3 && samples.allSatisfy { $0.elapsedNanoseconds > 0 })
        try executor.unloadGraph(handle)
        #expect(throws: BackendError.self) { try executor.runGraph(handle, inputs: inputs, exposing: []) }
    }

    @Test func badInputsAndUnknownIntermediatesAreRefused() throws {
        let (graph, weights, inputs) = try fixture()
        let executor = NodeByNodeGraphExecutor(backend: NativeCPUBackend(threads: 1))
        let handle = try executor.loadGraph(graph, weights: weights)
        #expect(throws: BackendError.self) { try executor.runGraph(handle, inputs: [:], exposing: []) }
        #expect(throws: BackendError.self) { try executor.runGraph(handle, inputs: inputs, exposing: ["nope"]) }
        #expect(throws: BackendError.self) { try executor.loadGraph(graph, weights: [:]) }
        let wrong = ["x": Tensor(dtype: .f32, shape: Shape([3, 7]), values: Array(repeating: 0, count: 21))]
        #expect(throws: BackendError.self) { try executor.runGraph(handle, inputs: wrong, exposing: []) }
    }
}
