import Foundation

/// A small model performance suite for tests: a SwiGLU block over `[batch, seq, 32]` tokens timed
/// as a prefill over a batch × seq grid, small enough that each case takes about a second.
public enum ModelPerformanceFixture {
    public static let graph = """
        id: tiny-swiglu
        title: a SwiGLU block over batch x seq tokens of width 32
        dtype: f32
        seed: 3
        dims: {batch: 1, seq: 8}
        inputs:
          x: {shape: [batch, seq, 32]}
        weights:
          norm: {shape: [32], init: ones}
          w_gate: {shape: [64, 32]}
          w_up: {shape: [64, 32]}
          w_down: {shape: [32, 64]}
        nodes:
          - {name: xf, op: reshape, inputs: [x], attrs: {to: [-1, 32]}}
          - {name: h, op: rms_norm, inputs: [xf, norm]}
          - {name: gate, op: linear, inputs: [h, w_gate], attrs: {bias: false}}
          - {name: up, op: linear, inputs: [h, w_up], attrs: {bias: false}}
          - {name: act, op: silu, inputs: [gate]}
          - {name: prod, op: mul, inputs: [act, up]}
          - {name: down, op: linear, inputs: [prod, w_down], attrs: {bias: false}}
          - {name: y, op: add, inputs: [xf, down]}
          - {name: out, op: reshape, inputs: [y], attrs: {to: [batch, seq, 32]}}
        outputs: [out]
        """

    /// Writes the graph and a suite timing it at `grid` into `folder`; the suite's path.
    public static func write(
        to folder: URL,
        grid: String = "{batch: [1, 2], seq: [8]}",
        performance: String = "{time_cap_s: 1, min_samples: 3, rounds: 2}"
    ) throws -> URL {
        let graphURL = folder.appendingPathComponent("tiny-swiglu.yaml")
        try graph.write(to: graphURL, atomically: true, encoding: .utf8)
        let suiteURL = folder.appendingPathComponent("tiny-model-performance.yaml")
        try """
        id: tiny-model-performance
        kind: model
        seed: 5
        performance: \(performance)
        cases:
          - graph: \(graphURL.path)
            measure: performance
            phase: prefill
            grid: \(grid)
            dtypes: [f32]
        """.write(to: suiteURL, atomically: true, encoding: .utf8)
        return suiteURL
    }
}
