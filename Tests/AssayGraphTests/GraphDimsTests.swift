import AssayCore
import AssayOps
import Foundation
import Testing

@testable import AssayGraph

/// Named sizes (`dims:`) a suite can set, and the generated input values of a graph.
@Suite struct GraphDimsTests {
    static let text = """
        id: sized
        dims: {seq: 4}
        inputs:
          x: {shape: [seq, 16]}
          tokens: {shape: [seq], dtype: int32, values: tokens, high: 50}
          cos: {shape: [seq, 2], values: rope_cos, theta: 100.0, offset: seq}
          sin: {shape: [seq, 2], values: rope_sin, theta: 100.0, offset: seq}
        weights:
          w: {shape: [16, 16]}
        nodes:
          - {name: y, op: linear, inputs: [x, w], attrs: {bias: false}}
          - {name: y4, op: reshape, inputs: [y], attrs: {to: [1, seq, 4, 4]}}
        outputs: [y4]
        """

    func refusal(_ text: String, dims: [String: Int] = [:]) -> String {
        do {
            _ = try Graph.parse(text: text, file: "g.yaml", dims: dims)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func dimsSetShapesAndAttrsAndASuiteCanChangeThem() throws {
        let graph = try Graph.parse(text: Self.text, file: "g.yaml")
        #expect(graph.tensors["y4"]?.shape.dims == [1, 4, 4, 4])
        let longer = try Graph.parse(text: Self.text, file: "g.yaml", dims: ["seq": 6], dtype: .bf16)
        #expect(longer.tensors["y4"]?.shape.dims == [1, 6, 4, 4] && longer.dims == ["seq": 6])
        #expect(longer.tensors["x"]?.dtype == .bf16 && longer.tensors["tokens"]?.dtype == .int32)
    }

    @Test func generatedInputsFollowTheirValues() throws {
        let graph = try Graph.parse(text: Self.text, file: "g.yaml")
        let inputs = GraphInputs.values(of: graph, seed: 3)
        #expect(inputs["tokens"]!.values().allSatisfy { $0 >= 0 && $0 < 50 && $0 == $0.rounded() })
        // Row i, column j: angle (offset + i) · theta^(−2j/d) with offset = seq = 4, d = 4.
        let cos = inputs["cos"]!.values()
        #expect(abs(cos[0] - Double(Float(Foundation.cos(4.0)))) < 1e-12)
        #expect(abs(cos[3] - Double(Float(Foundation.cos(5.0 / 10)))) < 1e-12)
        #expect(GraphInputs.values(of: graph, seed: 3) == inputs && GraphInputs.values(of: graph, seed: 4) != inputs)
    }

    @Test func badDimsAndValuesNameTheLineAndField() {
        #expect(
            refusal(Self.text.replacingOccurrences(of: "[seq, 16]", with: "[sq, 16]")).contains(
                "g.yaml:4:15: inputs.x.shape[0]"
            )
        )
        #expect(
            refusal(Self.text.replacingOccurrences(of: "[seq, 16]", with: "[sq, 16]")).contains(
                "'sq' is not a number or a dim (dims: seq)"
            )
        )
        #expect(refusal(Self.text, dims: ["ctx": 8]).contains("has no dim 'ctx' to set"))
        #expect(
            refusal(Self.text.replacingOccurrences(of: ", high: 50", with: "")).contains(
                "missing required field 'high'"
            )
        )
        #expect(
            refusal(Self.text.replacingOccurrences(of: "high: 50", with: "high: 50, std: 2")).contains(
                "std does not apply to values tokens"
            )
        )
        #expect(
            refusal(Self.text.replacingOccurrences(of: "values: rope_sin", with: "values: rope_tan")).contains(
                "unknown values 'rope_tan'"
            )
        )
        #expect(
            refusal(Self.text.replacingOccurrences(of: "cos: {shape: [seq, 2]", with: "cos: {shape: [seq]")).contains(
                "rope_cos needs a float [s, d/2] input"
            )
        )
    }
}
