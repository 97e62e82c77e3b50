import AssayBackend
import AssayWorkspace
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayPlanning
@testable import AssayRunner

/// Each verdict of a model case, with a right and a deliberately wrong answer.
@Suite struct ModelVerdictTests {
    static let threshold = ModelThreshold(
        maxRelative: 1e-4,
        minCosine: 0.9999,
        minTop1: 1,
        minTop5: 1,
        maxKL: 1e-6,
        reason: "test"
    )

    func compare(_ expected: [Double], _ actual: [Double], logits: Bool = true) -> ModelOutputComparison {
        let shape = [2, expected.count / 2]
        return ModelComparison.compare(
            name: "logits",
            expected: RefTensor(shape: shape, data: expected),
            actual: Tensor(dtype: .f64, shape: Shape(shape), values: actual),
            logits: logits
        )
    }

    static let rows: [Double] = [0.1, 0.9, 0.3, -0.2, 0.5, 0.45, 0.05, 1.5, -1, 0.2, 0.7, 0.6, 0.0, -0.3]

    @Test func identicalOutputsMeetEveryThreshold() {
        let c = compare(Self.rows, Self.rows)
        #expect(c.maxAbsError == 0 && c.cosine > 0.9999999 && c.top1Agreement == 1 && c.top5Agreement == 1)
        #expect(c.klDivergence! < 1e-15 && ModelComparison.miss(c, Self.threshold) == nil)
    }

    @Test func eachWrongAnswerMissesItsThreshold() {
        var swapped = Self.rows
        swapped.swapAt(1, 4)  // row 0's top-1 and top-2 trade places
        let top = compare(Self.rows, swapped)
        #expect(top.top1Agreement == 0.5 && top.top5Agreement == 1)
        #expect(ModelComparison.miss(top, Self.threshold)?.contains("max relative error") == true)
        #expect(
            ModelComparison.miss(top, ModelThreshold(maxRelative: 1, minCosine: 0, minTop1: 1, reason: "r"))?.contains(
                "top-1 agreement 0.5 < 1"
            ) == true
        )
        let scaled = compare(Self.rows, Self.rows.map { $0 * 1.01 }, logits: false)
        #expect(abs(scaled.maxRelError - 0.01) < 1e-12 && scaled.cosine > 0.9999999 && scaled.top1Agreement == nil)
        #expect(ModelComparison.miss(scaled, Self.threshold)?.contains("max relative error 0.01") == true)
        var nan = Self.rows
        nan[3] = .nan
        let broken = compare(Self.rows, nan)
        #expect(broken.nonFinite == 1 && ModelComparison.miss(broken, Self.threshold)?.contains("non-finite") == true)
        let flat = compare(Self.rows, Self.rows.map { $0 * 0.5 + 0.2 })
        #expect(flat.klDivergence! > 1e-3)
        #expect(
            ModelComparison.miss(flat, ModelThreshold(maxRelative: 10, minCosine: 0, maxKL: 1e-6, reason: "r"))?
                .contains("KL") == true
        )
        #expect(
            ModelComparison.miss(flat, ModelThreshold(maxRelative: 10, minCosine: 0.99999, reason: "r"))?.contains(
                "cosine"
            ) == true
        )
        #expect(GreedyDecoding.argmax([.nan, 1, 3, 3], row: 0, width: 4) == 2)
    }

    /// A toy language model (embedding, then logits over 50 tokens): greedy decoding agrees at
    /// every step on native, and a backend whose linear has its sign flipped differs at step 1,
    /// with `logits` named as the first divergent node.
    static let toy = """
        id: toy-lm
        dims: {seq: 6}
        inputs:
          tokens: {shape: [seq], dtype: int32, values: tokens, high: 50}
        weights:
          embed: {shape: [50, 8], std: 1.0}
          head: {shape: [50, 8], std: 1.0}
        nodes:
          - {name: x, op: embedding, inputs: [tokens, embed]}
          - {name: logits, op: linear, inputs: [x, head], attrs: {bias: false}}
        outputs: [logits]
        """

    func results(on backend: Backend) throws -> CaseResult {
        let suite = try Suite.parse(
            text: """
                id: toy
                kind: model
                cases:
                  - graph: toy-lm
                    greedy_steps: 3
                    thresholds:
                      f32: {max_rel: 1.0e-4, min_cosine: 0.9999, reason: test}
                """,
            file: "toy.yaml",
            validator: OpCatalogue.standard
        )
        let planned = try SuiteExpander.expand(suite, catalogue: .standard) { name in
            LocatedResource(
                kind: .model,
                name: name,
                origin: .path,
                url: nil,
                displayName: "toy-lm.yaml",
                text: Self.toy
            )
        }
        return try ModelCaseTests().run([planned[0]], on: backend)[0]
    }

    @Test func greedyDecodingAgreesOnNativeAndAWrongOpDiffersAtTheFirstStep() throws {
        let good = try results(on: NativeCPUBackend(threads: 1))
        #expect(good.outcome == .pass, "\(good.message ?? "")")
        #expect(good.model?.greedy?.matchingSteps == 3 && good.model?.greedy?.expectedTokens.count == 3)
        let bad = try results(on: FaultyBackend(.negatedLinear))
        #expect(bad.outcome == .fail && bad.model?.greedy?.matchingSteps == 0)
        #expect(bad.message?.contains("greedy decoding differs at step 1 of 3") == true, "\(bad.message ?? "")")
        #expect(bad.model?.firstDivergentNode?.name == "logits" && bad.model?.execution == "node-by-node")
    }
}
