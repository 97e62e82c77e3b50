import AssayCore
import AssayOps
import Foundation
import Testing

@testable import AssayGraph

/// A graph's FLOPs and bytes (its roofline position) against hand counts: one linear, and the
/// Qwen2-0.5B decoder layer by the transformer formula; a count that leaves out a node misses.
@Suite struct GraphWorkTests {
    @Test func aMatmulOnlyGraphCountsTwoMNKAndEachTensorOnce() throws {
        let graph = try Graph.parse(
            text: """
                id: one-linear
                title: one linear
                dtype: f32
                seed: 1
                inputs:
                  x: {shape: [16, 64]}
                weights:
                  w: {shape: [48, 64]}
                nodes:
                  - {name: y, op: linear, inputs: [x, w], attrs: {bias: false}}
                outputs: [y]
                """,
            file: "g.yaml"
        )
        #expect(graph.flops == 2 * 16 * 48 * 64)
        #expect(graph.minimumBytes == Double(4 * (16 * 64 + 48 * 64 + 16 * 48)))
        #expect(graph.nodeBytes == graph.minimumBytes, "one node moves what the graph moves")
    }

    /// The Qwen2-0.5B layer at batch b, sequence s (T = b·s tokens; hidden 896, kv 128, MLP 4864,
    /// 14 heads of 64): 2T·(896·(896+128+128+896) + 3·896·4864) for the seven projections,
    /// 4·b·14·s(s+1)/2·64 for causal attention (QKᵀ and PV over the visible pairs), 2·5·T·896 for
    /// the two RMSNorms, 3·s·b·(14+2)·64 for RoPE on q and k, 4·T·4864 SiLU, T·4864 for the gate
    /// product and 2·T·896 for the residual adds; reshapes, transposes and head repeats move data only.
    @Test func theDecoderLayerMatchesTheTransformerFormula() throws {
        let locatedText = try String(
            contentsOf: Self.repository.appendingPathComponent("Models/qwen2-0.5b-decoder-layer.yaml"),
            encoding: .utf8
        )
        for (b, s) in [(1, 16), (2, 64)] {
            let graph = try Graph.parse(text: locatedText, file: "qwen.yaml", dims: ["batch": b, "seq": s])
            let t = Double(b * s)
            let expected =
                2 * t * (896 * (896 + 128 + 128 + 896) + 3 * 896 * 4864)
                + 4 * Double(b) * 14 * Double(s * (s + 1) / 2) * 64
                + 2 * 5 * t * 896 + 3 * Double(s) * Double(b) * (14 + 2) * 64
                + 4 * t * 4864 + t * 4864 + 2 * t * 896
            #expect(graph.flops == expected, "batch \(b), seq \(s): \(graph.flops) vs \(expected)")
            // A deliberately wrong count — the attention node left out — fails the same check.
            let withoutAttention = graph.nodes.filter { $0.problem.op != "scaled_dot_product_attention" }
                .reduce(0) { $0 + $1.problem.flops }
            #expect(withoutAttention != expected)
            let weights = 2 * 896 + 2 * 896 * 896 + 896 + 2 * (128 * 896 + 128) + 3 * 896 * 4864
            let activations = 2 * b * s * 896 + 2 * s * 32
            #expect(graph.minimumBytes == Double(4 * (weights + activations)))
            #expect(graph.nodeBytes > graph.minimumBytes, "node by node, every intermediate is written and read")
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
