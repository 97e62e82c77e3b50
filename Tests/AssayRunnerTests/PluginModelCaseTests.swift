import AssayBackend
import AssayPlanning
import AssayTestSupport
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Model cases on a plugin that agreed feature `graph`: the numpy plugin passes the decoder
/// layer through its own graph executor, and one with a wrong RoPE fails it with that node named
/// as the first divergent one (found from a `run_graph` that exposes every node).
@Suite(.serialized, .enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct PluginModelCaseTests {
    func layerCases() throws -> [PlannedCase] {
        try ModelCaseTests().cases("qwen2-0.5b-decoder-layer").filter { $0.id.dtype == "f32" }
    }

    @Test func theNumpyPluginPassesTheDecoderLayerThroughItsGraphs() throws {
        let backend = ModelCaseTests.plugin(["python3", "Backends/python/numpy_backend.py"])
        defer { backend.shutdown() }
        let results = try ModelCaseTests().run(try layerCases(), on: backend)
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.outcome == .pass, "\(result.id): \(result.message ?? "")")
            #expect(result.model?.execution == "graph")
        }
    }

    @Test func aWrongRopeInThePluginIsNamedAsTheFirstDivergentNode() throws {
        let backend = ModelCaseTests.plugin([
            "python3", PluginFixtures.path("wrong_rope_numpy.py"), Repository.root.path,
        ])
        defer { backend.shutdown() }
        let results = try ModelCaseTests().run(try layerCases(), on: backend)
        #expect(!results.isEmpty)
        for result in results {
            #expect(result.outcome == .fail, "\(result.id): \(result.message ?? "")")
            #expect(result.model?.execution == "graph")
            #expect(result.model?.firstDivergentNode?.name == "q_rot", "\(result.message ?? "")")
        }
    }
}
