import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayGraph
@testable import AssayOps
@testable import AssayPlanning
@testable import AssayRunner

/// Model performance cases (`measure: performance`) run through `assay run`'s own path: the graph
/// timed by `benchmarkGraph` under the op sampler with rounds, on the roofline of declared peaks,
/// with tokens/s and latency from the median (no speed asserted: only that the figures are
/// there and consistent with each other and the graph).
@Suite(.serialized) struct ModelPerformanceTests {
    static let target = """
        id: declared-cpu
        title: a CPU with declared peaks
        kind: cpu
        backend:
          builtin: cpu
          threads: 1
        capabilities:
          peak_tflops: {fp32: 0.1}
          memory_bandwidth_gbs: 10
          source: "test figures, not a datasheet"
        """

    /// Runs the fixture suite on `makeBackend`'s backend; the run record.
    func run(_ makeBackend: @escaping () -> Backend) throws -> RunRecord {
        let folder = try TemporaryDirectory.make(prefix: "assay-model-perf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = try ModelPerformanceFixture.write(to: folder)
        let targetURL = folder.appendingPathComponent("declared-cpu.yaml")
        try Self.target.write(to: targetURL, atomically: true, encoding: .utf8)
        let request = RunRequest(
            target: targetURL.path,
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in makeBackend() }
        return try session.run()
    }

    /// Every case measured with figures that agree with its record and its graph.
    func expectFigures(_ record: RunRecord, execution: String) throws {
        let graph = try Graph.parse(text: ModelPerformanceFixture.graph, file: "tiny-swiglu.yaml", dims: ["batch": 2])
        #expect(
            record.cases.map(\.id.description).sorted() == [
                "tiny-model-performance/tiny-swiglu/batch=1,seq=8/f32",
                "tiny-model-performance/tiny-swiglu/batch=2,seq=8/f32",
            ]
        )
        for result in record.cases {
            #expect(result.outcome == .pass, "\(result.id): \(result.message ?? "")")
            #expect(result.kind == .performance)
            let figures = try #require(result.modelPerformance)
            let performance = try #require(result.performance)
            #expect(figures.execution == execution && figures.phase == .prefill)
            #expect(figures.tokens == (figures.dims["batch"] ?? 0) * 8)
            #expect(performance.rounds?.count == 2, "rounds as op cases take them")
            let median = performance.summary.median
            #expect(
                abs(figures.tokensPerSecond! - Double(figures.tokens) / median * 1e9) < 1e-6 * figures.tokensPerSecond!
            )
            #expect(abs(figures.latencyMilliseconds! - median / 1e6) < 1e-9 * median)
            #expect(performance.flops == figures.flops && performance.bytes == figures.bytes)
            #expect(performance.percentOfPeak != nil && performance.ceilingSource == .declared)
            if figures.dims["batch"] == 2 {
                #expect(figures.flops == graph.flops && figures.bytes == graph.minimumBytes)
            }
        }
    }

    @Test func aNativeRunRecordsModelFigures() throws {
        let record = try run { NativeCPUBackend(threads: 1) }
        try expectFigures(record, execution: "in-process")
        #expect(record.cases.allSatisfy { $0.modelPerformance?.peakNote?.contains("not reported") == true })
    }

    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
    func aNumpyPluginRunRecordsModelFiguresThroughItsGraphs() throws {
        let record = try run { ModelCaseTests.plugin(["python3", "Backends/python/numpy_backend.py"]) }
        try expectFigures(record, execution: "graph")
        #expect(record.cases.allSatisfy { $0.modelPerformance?.peakBytes == nil })
    }

    /// `peak_bytes` of `benchmark_graph` reaches the record: a numpy plugin whose allocator peak
    /// is tracemalloc's holds at least the weights and the activations of one run.
    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
    func aReportedAllocatorPeakIsRecorded() throws {
        let record = try run {
            ModelCaseTests.plugin(["python3", PluginFixtures.path("peak_numpy.py"), Repository.root.path])
        }
        for result in record.cases {
            let figures = try #require(result.modelPerformance)
            let peak = try #require(figures.peakBytes, "\(result.id)")
            // One run's activations: at least the output of every linear (tokens × (64 + 64 + 32) f32).
            #expect(peak >= Double(figures.tokens * 160 * 4), "\(result.id): \(peak)")
            #expect(figures.peakNote == nil)
        }
    }

    /// A 1.0 plugin (no `graph` feature) is timed node by node: every node an `execute` request.
    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
    func aProtocol10PluginIsTimedNodeByNode() throws {
        let record = try run { ModelCaseTests.plugin(["python3", PluginFixtures.path("numpy_v10.py")]) }
        try expectFigures(record, execution: "node-by-node")
    }

    /// The built-in suite plans a batch × seq grid of prefill cases and one decode case per
    /// context, as performance cases whose ids hold the graph, the dims and the dtype.
    @Test func theModelPerformanceSuitePlansTheGridAndTheContexts() throws {
        let planned = try ModelCaseTests().cases(suite: "model-performance")
        #expect(
            planned.map(\.id.description) == [
                "model-performance/qwen2-0.5b-decoder-layer/batch=1,seq=16/f32",
                "model-performance/qwen2-0.5b-decoder-layer/batch=1,seq=64/f32",
                "model-performance/qwen2-0.5b-decoder-layer/batch=2,seq=16/f32",
                "model-performance/qwen2-0.5b-decoder-layer/batch=2,seq=64/f32",
                "model-performance/qwen2-0.5b-decode-step/ctx=512/f32",
                "model-performance/qwen2-0.5b-decode-step/ctx=4096/f32",
            ]
        )
        #expect(planned.allSatisfy { $0.kind == .performance })
        let tokens = planned.compactMap { planned -> Int? in
            guard case .graph(let work) = planned else { return nil }
            return work.tokens
        }
        #expect(tokens == [16, 64, 32, 128, 1, 1])
    }

    @Test func aBadModelPerformanceEntryIsRefusedWithItsLine() throws {
        let refusal = ModelCaseTests.refusal
        let layer = "{kind: model, graph: qwen2-0.5b-decoder-layer, measure: performance"
        #expect(refusal("  - \(layer), phase: prefill}") == "accepted")
        #expect(refusal("  - \(layer)}").contains("m.yaml:3") && refusal("  - \(layer)}").contains("'phase'"))
        #expect(refusal("  - \(layer), phase: warmup}").contains("phase is 'prefill' or 'decode'"))
        #expect(
            refusal("  - \(layer), phase: prefill, thresholds: {}}").contains(
                "timed, not judged: it takes no 'thresholds'"
            )
        )
        #expect(refusal("  - \(layer), phase: prefill, grid: {seq: []}}").contains("needs at least one size"))
        #expect(
            refusal("  - \(layer), phase: prefill, grid: {seq: [8]}, dims: [{seq: 8}]}").contains(
                "either 'dims' or 'grid'"
            )
        )
        #expect(refusal("  - \(layer), phase: prefill, grid: {heads: [8]}}").contains("has no dim 'heads' to set"))
        #expect(
            refusal("  - {kind: model, graph: qwen2-0.5b-decoder-layer, measure: timing}").contains(
                "measure is 'correctness' or 'performance'"
            )
        )
        let decode = "{kind: model, graph: qwen2-0.5b-decode-step, measure: performance, phase: prefill}"
        #expect(refusal("  - \(decode)").contains("a prefill case needs a graph with a 'seq' dim"))
        #expect(
            refusal("  - {kind: model, graph: qwen2-0.5b-decode-step, phase: decode}").contains("measure: performance")
        )
    }
}
