import AssayCore
import AssayOps
import Foundation
import Testing

@testable import AssayGraph

/// Graph files: a good one parses with every shape inferred and runs on the float64 reference;
/// each kind of bad one is refused with file:line and the field.
@Suite struct GraphTests {
    /// A grouped-query attention block: 4 query heads, 2 key/value heads, causal.
    static let attention = """
        id: gqa-block
        title: grouped-query attention, 4 heads over 2 kv heads
        dtype: f32
        seed: 7
        inputs:
          x: {shape: [6, 16]}
        weights:
          norm: {shape: [16], init: ones}
          wq: {shape: [16, 16]}
          wk: {shape: [8, 16], std: 0.05}
          wv: {shape: [8, 16]}
        nodes:
          - {name: h, op: rms_norm, inputs: [x, norm]}
          - {name: q, op: linear, inputs: [h, wq], attrs: {bias: false}}
          - {name: k, op: linear, inputs: [h, wk], attrs: {bias: false}}
          - {name: v, op: linear, inputs: [h, wv], attrs: {bias: false}}
          - {name: q4, op: reshape, inputs: [q], attrs: {to: [1, 6, 4, 4]}}
          - {name: k4, op: reshape, inputs: [k], attrs: {to: [1, 6, 2, 4]}}
          - {name: v4, op: reshape, inputs: [v], attrs: {to: [1, 6, 2, 4]}}
          - {name: qh, op: transpose, inputs: [q4], attrs: {perm: [0, 2, 1, 3]}}
          - {name: kh, op: transpose, inputs: [k4], attrs: {perm: [0, 2, 1, 3]}}
          - {name: vh, op: transpose, inputs: [v4], attrs: {perm: [0, 2, 1, 3]}}
          - {name: kr, op: repeat_interleave, inputs: [kh], attrs: {repeats: 2, axis: 1}}
          - {name: vr, op: repeat_interleave, inputs: [vh], attrs: {repeats: 2, axis: 1}}
          - {name: o, op: scaled_dot_product_attention, inputs: [qh, kr, vr], attrs: {causal: true}}
          - {name: top, op: argmax, inputs: [o]}
        outputs: [o, top]
        """

    func refusal(_ text: String) -> String {
        do {
            _ = try Graph.parse(text: text, file: "g.yaml")
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aGoodGraphHasEveryShapeInferred() throws {
        let graph = try Graph.parse(text: Self.attention, file: "g.yaml")
        #expect(graph.nodes.count == 14)
        #expect(graph.tensors["kr"]?.shape.dims == [1, 4, 6, 4])
        #expect(graph.tensors["o"]?.shape.dims == [1, 4, 6, 4])
        #expect(graph.tensors["top"]?.dtype == .int32 && graph.tensors["top"]?.shape.dims == [1, 4, 6])
        #expect(graph.weights.first { $0.spec.name == "wk" }?.initialisation == .normal(std: 0.05))
        #expect(graph.weights.first { $0.spec.name == "wq" }?.initialisation == .normal(std: 0.02))
    }

    @Test func badGraphsNameFileLineAndField() {
        let base = Self.attention
        let cases: [(String, String, String)] = [
            ("unknown op", base.replacingOccurrences(of: "op: rms_norm", with: "op: rmsnorm"), "g.yaml:13:"),
            (
                "unknown tensor", base.replacingOccurrences(of: "inputs: [h, wk]", with: "inputs: [hh, wk]"),
                "g.yaml:15:"
            ),
            (
                "shape mismatch", base.replacingOccurrences(of: "wv: {shape: [8, 16]}", with: "wv: {shape: [8, 15]}"),
                "g.yaml:16:"
            ),
            (
                "reshape that loses elements",
                base.replacingOccurrences(of: "to: [1, 6, 4, 4]", with: "to: [1, 6, 4, 5]"), "g.yaml:17:"
            ),
            ("duplicate name", base.replacingOccurrences(of: "name: k4", with: "name: k"), "g.yaml:18:"),
            (
                "unknown attr",
                base.replacingOccurrences(of: "attrs: {causal: true}", with: "attrs: {causal: true, window: 4}"),
                "g.yaml:25:"
            ),
            (
                "unknown output", base.replacingOccurrences(of: "outputs: [o, top]", with: "outputs: [o, logits]"),
                "g.yaml:27:"
            ),
            ("missing nodes", base.replacingOccurrences(of: "nodes:", with: "steps:"), "g.yaml:"),
            (
                "file weights without a file",
                base.replacingOccurrences(of: "wq: {shape: [16, 16]}", with: "wq: {shape: [16, 16], init: file}"),
                "g.yaml:9:"
            ),
            (
                "std on ones",
                base.replacingOccurrences(
                    of: "norm: {shape: [16], init: ones}",
                    with: "norm: {shape: [16], init: ones, std: 1}"
                ), "g.yaml:8:"
            ),
            ("bad dtype", base.replacingOccurrences(of: "dtype: f32", with: "dtype: fp8"), "g.yaml:3:"),
            (
                "overflowing shape",
                base.replacingOccurrences(of: "x: {shape: [6, 16]}", with: "x: {shape: [4294967296, 4294967296]}"),
                "g.yaml:6:"
            ),
        ]
        for (what, text, location) in cases {
            let got = refusal(text)
            #expect(got.hasPrefix(location) && got != "accepted", "\(what): \(got)")
        }
        #expect(
            refusal(base.replacingOccurrences(of: "inputs: [h, wk]", with: "inputs: [hh, wk]")).contains(
                "nodes[2].inputs[0]: unknown tensor 'hh'"
            )
        )
    }

    @Test func weightsAreSeededNormalWithTheStatedStd() throws {
        let graph = try Graph.parse(
            text: """
                id: weights
                seed: 3
                inputs: {x: {shape: [4]}}
                weights:
                  wq: {shape: [100, 100]}
                  norm: {shape: [4], init: ones}
                nodes: [{name: y, op: mul, inputs: [x, norm]}]
                outputs: [y]
                """,
            file: "g.yaml"
        )
        let weights = try GraphWeights.values(of: graph)
        let wq = weights["wq"]!.values()
        let mean = wq.reduce(0, +) / Double(wq.count)
        let std = (wq.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(wq.count)).squareRoot()
        #expect(abs(mean) < 0.001 && abs(std - 0.02) < 0.0005, "mean \(mean), std \(std)")
        #expect(weights["norm"]!.values().allSatisfy { $0 == 1 })
        #expect(try GraphWeights.values(of: graph)["wq"] == weights["wq"], "seeded: the same values again")
    }

    @Test func theReferenceRunsTheGraphNodeByNode() throws {
        let graph = try Graph.parse(text: Self.attention, file: "g.yaml")
        let weights = try GraphWeights.values(of: graph)
        let x = Tensor(dtype: .f32, shape: [6, 16], values: (0..<96).map { sin(Double($0)) })
        let values = try GraphReference.run(graph, inputs: ["x": x], weights: weights)
        // Query head 3 reads kv head 1 (⌊3/2⌋); its first row sees only key 0, so it is v of key 0.
        let v = values["vh"]!
        let o = values["o"]!
        for e in 0..<4 { #expect(abs(o.data[(3 * 6 + 0) * 4 + e] - v.data[(1 * 6 + 0) * 4 + e]) < 1e-15) }
        #expect(values["top"]!.shape == [1, 4, 6])
        #expect(throws: InputError.self) { try GraphReference.run(graph, inputs: [:], weights: weights) }
    }

    @Test func fileWeightsAreCheckedAgainstTheSafetensorsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Self.attention.replacingOccurrences(
            of: "wq: {shape: [16, 16]}",
            with: "wq: {shape: [16, 16], init: file}"
        )
        .replacingOccurrences(of: "seed: 7", with: "seed: 7\nweights_file: w.safetensors")
        try text.write(to: folder.appendingPathComponent("g.yaml"), atomically: true, encoding: .utf8)
        let wq = Tensor(dtype: .f32, shape: [16, 16], values: (0..<256).map { Double($0) / 256 })
        try Data(SafetensorsFile.encode(["wq": wq])).write(to: folder.appendingPathComponent("w.safetensors"))
        let graph = try Graph.load(contentsOf: folder.appendingPathComponent("g.yaml"), displayName: "g.yaml")
        let file = try SafetensorsFile.load(contentsOf: folder.appendingPathComponent("w.safetensors"))
        #expect(try GraphWeights.values(of: graph, file: file)["wq"] == wq)
        // The same file with the weight in another shape is refused at the weight's line.
        try Data(SafetensorsFile.encode(["wq": Tensor(dtype: .f32, shape: [8, 32], values: wq.values())])).write(
            to: folder.appendingPathComponent("w.safetensors")
        )
        #expect(throws: InputError.self) {
            try Graph.load(contentsOf: folder.appendingPathComponent("g.yaml"), displayName: "g.yaml")
        }
        do { _ = try Graph.load(contentsOf: folder.appendingPathComponent("g.yaml"), displayName: "g.yaml") } catch {
            #expect(
                "\(error)".hasPrefix(
                    "g.yaml:10: weights.wq: w.safetensors holds it as f32 [8, 32], declared f32 [16, 16]"
                ),
                "\(error)"
            )
        }
    }
}
