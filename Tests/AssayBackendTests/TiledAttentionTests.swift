import Testing

@testable import AssayBackend
@testable import AssayCore
@testable import AssayOps

/// The tiled f32 attention kernel (several query and key blocks, ragged edges, causal block
/// skipping) against the native f64 path, which computes the full score matrix per head.
@Suite struct TiledAttentionTests {
    static let shapes: [(s: Int, t: Int, d: Int, causal: Bool)] = [
        (300, 260, 72, true), (300, 260, 72, false), (200, 400, 40, true), (129, 129, 128, true), (1, 300, 16, false),
    ]

    private func problem(s: Int, t: Int, d: Int, causal: Bool) throws -> OpProblem {
        try OpCatalogue.standard.problem(
            op: "scaled_dot_product_attention",
            params: ["b": .int(1), "h": .int(3), "s": .int(s), "t": .int(t), "d": .int(d)],
            attrs: ["causal": .bool(causal)],
            dtype: .f32
        )
    }

    @Test(arguments: 0..<shapes.count)
    func matchesTheFullScoreMatrixPath(index: Int) throws {
        let shape = Self.shapes[index]
        let problem = try problem(s: shape.s, t: shape.t, d: shape.d, causal: shape.causal)
        let inputs = InputGenerator.inputs(for: problem, values: .random, seed: 7, caseID: "tiled", specials: .none)
        let floats = inputs.map { $0.floats() }
        // The kernel itself, not the exact path behind it: finite inputs flag no head.
        var tiled = [Float](repeating: .nan, count: problem.output.shape.elementCount)
        let kernels = try #require(Float.rowKernels)
        let scale = 1 / Float(shape.d).squareRoot()
        // (heads, s, t, d, q, k, v, scale, causal, out, threads)
        let redo = kernels.tiledAttention(
            3,
            shape.s,
            shape.t,
            shape.d,
            floats[0],
            floats[1],
            floats[2],
            scale,
            shape.causal,
            &tiled,
            2
        )
        #expect(redo == [false, false, false])
        let exact = try NativeKernels<Double>(threads: 1).run(problem, inputs.map { $0.values() })
        var worst = 0.0
        for (x, y) in zip(tiled, exact) { worst = Swift.max(worst, abs(Double(x) - y)) }
        // Outputs are convex combinations of v (|v| ≤ ~1): f32 rounding stays far below 1e-4.
        #expect(worst < 1e-4, "s\(shape.s) t\(shape.t) d\(shape.d) causal \(shape.causal): max error \(worst)")
    }

    /// A +inf in v under a masked key of one head: that head goes the exact path (weight 0 adds
    /// nothing, no NaN); the other heads keep the tiled result.
    @Test func nonFiniteHeadTakesTheExactPath() throws {
        let (s, t, d) = (150, 150, 32)
        let problem = try problem(s: s, t: t, d: d, causal: true)
        var inputs = InputGenerator.inputs(for: problem, values: .random, seed: 3, caseID: "inf", specials: .none).map {
            $0.floats()
        }
        inputs[2][(1 * t + (t - 1)) * d] = .infinity  // head 1, last key: visible only to the last query row
        let result = try NativeKernels<Float>(threads: 2).run(problem, inputs)
        let exact = try NativeKernels<Double>(threads: 1).run(problem, inputs.map { $0.map(Double.init) })
        for index in result.indices {
            let (x, y) = (Double(result[index]), exact[index])
            if y.isFinite {
                #expect(abs(x - y) < 1e-4, "element \(index): \(x) against \(y)")
            } else {
                #expect(x.isNaN == y.isNaN && (x.isNaN || x == y))
            }
        }
        #expect(result[(1 * s + s - 1) * d].isInfinite && result[(1 * s + s - 2) * d].isFinite)
    }
}
