import AssayBackend
import AssayBench
import AssayTestSupport
import AssayWorkspace
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayPlanning
@testable import AssayRunner

@Suite(.serialized) struct ModelCaseTests {
    static let locator = ResourceLocator(
        workspace: Workspace(root: nil, home: nil, currentDirectory: URL(fileURLWithPath: "/nonexistent"))
    )

    /// The built-in models suite's cases whose graph is `graph` (all when nil).
    func cases(_ graph: String? = nil, suite: String = "models") throws -> [PlannedCase] {
        let file = try Self.locator.locate(suite, kind: .suite)
        let parsed = try Suite.parse(text: file.text, file: file.displayName, validator: OpCatalogue.standard)
        return try SuiteExpander.expand(parsed, catalogue: .standard) { try Self.locator.locate($0, kind: .model) }
            .filter { graph == nil || $0.id.op == graph }
    }

    func run(_ cases: [PlannedCase], on backend: Backend) throws -> [CaseResult] {
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: nil,
            systemChecker: nil
        )
        return cases.map(executor.run)
    }

    /// The two heaviest graphs in a debug build's float64 reference (the 7B layer's 200M weights,
    /// nine runs of the 32000-token lm_head for greedy decoding) run when ASSAY_SLOW_MODEL_TESTS=1.
    static let slow: Set<String> = ["llama2-7b-decoder-layer", "llama-68m"]
    static let runsSlow = ProcessInfo.processInfo.environment["ASSAY_SLOW_MODEL_TESTS"] == "1"

    @Test func nativePassesTheModelsSuiteInProcess() throws {
        let planned = try cases().filter { Self.runsSlow || !Self.slow.contains($0.id.op) }
        #expect(planned.count >= (Self.runsSlow ? 8 : 6))
        for result in try run(planned, on: NativeCPUBackend()) {
            #expect(result.outcome == .pass, "\(result.id): \(result.message ?? "")")
            #expect(result.model?.execution == "in-process")
            #expect(result.model?.outputs.allSatisfy { $0.cosine > 0.999 && $0.maxRelError < 0.05 } == true)
            if let greedy = result.model?.greedy { #expect(greedy.matchingSteps == greedy.steps) }
        }
    }

    /// Greedy decoding of the LLaMA-68M decoder (32000-token lm_head) agrees with the reference at
    /// every step in f32 (at a shorter sequence than models.yaml's, for the debug build's reference).
    @Test func greedyDecodingOfTheSmallDecoderMatchesAtEveryStep() throws {
        let suite = try Suite.parse(
            text: """
                id: greedy
                kind: model
                cases:
                  - graph: llama-68m
                    dims: [{seq: 6}]
                    greedy_steps: 3
                    thresholds:
                      f32: {max_rel: 1.0e-4, min_cosine: 0.9999999, min_top1: 1.0, min_top5: 1.0, max_kl: 1.0e-6, reason: as models.yaml}
                """,
            file: "greedy.yaml",
            validator: OpCatalogue.standard
        )
        let planned = try SuiteExpander.expand(suite, catalogue: .standard) {
            try Self.locator.locate($0, kind: .model)
        }
        let result = try #require(try run(planned, on: NativeCPUBackend()).first)
        #expect(result.outcome == .pass, "\(result.message ?? "")")
        let greedy = try #require(result.model?.greedy)
        #expect(greedy.steps == 3 && greedy.matchingSteps == 3 && greedy.actualTokens == greedy.expectedTokens)
        let logits = try #require(result.model?.outputs.first)
        #expect(logits.top1Agreement == 1 && logits.top5Agreement == 1 && (logits.klDivergence ?? 1) < 1e-6)
    }

    /// What planning says of a suite `m.yaml` holding `entry` (its line 3): "accepted" or the error.
    static func refusal(_ entry: String) -> String {
        do {
            let suite = try Suite.parse(
                text: "id: m\ncases:\n" + entry,
                file: "m.yaml",
                validator: OpCatalogue.standard
            )
            _ = try SuiteExpander.expand(suite, catalogue: .standard) { try Self.locator.locate($0, kind: .model) }
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test func aModelEntryWithoutThresholdsOrWithAWrongDimIsRefused() throws {
        let refusal = Self.refusal
        let ok = "{max_rel: 1.0e-4, min_cosine: 0.99, reason: r}"
        #expect(
            refusal("  - {kind: model, graph: resnet50-conv2-stage, dtypes: [f32, bf16], thresholds: {f32: \(ok)}}")
                .contains(
                    "m.yaml:3"
                )
        )
        #expect(
            refusal("  - {kind: model, graph: resnet50-conv2-stage, dtypes: [f32, bf16], thresholds: {f32: \(ok)}}")
                .contains(
                    "no thresholds for bf16"
                )
        )
        #expect(
            refusal("  - {kind: model, graph: resnet50-conv2-stage, thresholds: {f32: {max_rel: 1, min_cosine: 0.9}}}")
                .contains(
                    "missing required field 'reason'"
                )
        )
        #expect(
            refusal("  - {kind: model, graph: resnet50-conv2-stage, dims: [{seq: 4}], thresholds: {f32: \(ok)}}")
                .contains(
                    "has no dim 'seq' to set"
                )
        )
        #expect(
            refusal("  - {kind: model, graph: no-such-model, thresholds: {f32: \(ok)}}").contains(
                "no model 'no-such-model'"
            )
        )
        #expect(
            refusal("  - {kind: model, graph: resnet50-conv2-stage, greedy_steps: 2, thresholds: {f32: \(ok)}}")
                .contains(
                    "no single [seq] token input"
                )
        )
        #expect(
            refusal("  - {op: relu, shapes: [{shape: [4]}], graph: resnet50-conv2-stage}").contains(
                "'graph' belongs to model cases"
            )
        )
    }

    @Test func aWrongRoPEPairingFailsTheLayerAndIsNamedAsTheFirstDivergentNode() throws {
        let layer = try cases("qwen2-0.5b-decoder-layer").filter { $0.id.dtype == "f32" }
        let result = try #require(try run(layer, on: FaultyBackend(.ropePairing)).first)
        #expect(result.outcome == .fail)
        #expect(result.model?.execution == "node-by-node")
        let node = try #require(result.model?.firstDivergentNode)
        // q_rot is the first rotary node; k_rot, attention and everything after get wrong inputs
        // but compute correctly on them, so they are not named.
        #expect(node.name == "q_rot" && node.op == "rotary_embedding")
        #expect(node.line != nil && node.evidence.mismatches > 0)
        #expect(result.message?.contains("first divergent node: q_rot") == true, "\(result.message ?? "")")
        #expect(result.model!.outputs[0].maxRelError > result.model!.threshold.maxRelative)
    }

    static func plugin(_ command: [String]) -> PluginBackend {
        PluginBackend(
            configuration: PluginConfiguration(
                command: command,
                workingDirectory: Repository.root.path,
                device: "cpu",
                maxRestarts: 0
            )
        )
    }

    /// A plugin backend passes the Qwen2 layer (and, with ASSAY_SLOW_MODEL_TESTS=1, LLaMA-68M with
    /// every greedy step) over whichever path it offers.
    func pluginPassesTheDecoderLayer(_ script: String) throws {
        let backend = Self.plugin(["python3", "Backends/python/\(script)"])
        defer { backend.shutdown() }
        let planned =
            try cases("qwen2-0.5b-decoder-layer").filter { $0.id.dtype == "f32" }
            + (Self.runsSlow ? cases("llama-68m") : [])
        for result in try run(planned, on: backend) {
            #expect(result.outcome == .pass, "\(result.id): \(result.message ?? "")")
            #expect(["node-by-node", "graph"].contains(result.model?.execution ?? ""))
            if let greedy = result.model?.greedy { #expect(greedy.matchingSteps == greedy.steps) }
        }
    }

    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
    func numpyPassesTheDecoderLayer() throws { try pluginPassesTheDecoderLayer("numpy_backend.py") }

    @Test(.enabled(if: Python.canImport("torch"), "python3 with torch is not available"))
    func torchPassesTheDecoderLayer() throws { try pluginPassesTheDecoderLayer("torch_backend.py") }

    /// A plugin at protocol 1.0 (no `minor`, no features in its hello) runs op cases as before and
    /// gets model cases node by node: every node an `execute` request.
    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
    func aProtocol10PluginGetsModelCasesNodeByNode() throws {
        let backend = Self.plugin(["python3", PluginFixtures.path("numpy_v10.py")])
        defer { backend.shutdown() }
        #expect(try backend.describe().protocolMinor == nil)
        let op = try Suite.parse(
            text: "id: ops\ncases:\n  - {op: rms_norm, dtypes: [f32], shapes: [{shape: [4, 64]}]}\n",
            file: "ops.yaml",
            validator: OpCatalogue.standard
        )
        let planned = try SuiteExpander.expand(op, catalogue: .standard) + cases("qwen2-0.5b-decode-step").prefix(1)
        let results = try run(planned, on: backend)
        #expect(results.map(\.outcome) == [.pass, .pass], "\(results.map { $0.message ?? "" })")
        #expect(results.last?.model?.execution == "node-by-node")
    }
}
