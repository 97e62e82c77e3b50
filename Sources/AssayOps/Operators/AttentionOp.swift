import AssayCore
import Foundation

/// `scaled_dot_product_attention`: softmax(q·kᵀ·scale + mask)·v per batch and head,
/// with torch's top-left causal mask.
struct AttentionOp: Operator {
    let name = "scaled_dot_product_attention"
    let paramNames = ["b", "h", "s", "t", "d"]
    var optionalParams: Set<String> { ["t"] }
    var attrDefaults: AttrMap { ["causal": .bool(false)] }
    var specialValues: SpecialValueSet { .withoutNearMax }

    /// Number of (query, key) pairs the mask lets through.
    static func visiblePairs(s: Int, t: Int, causal: Bool) -> Int {
        guard causal else { return s * t }
        // Row i sees min(i + 1, t) keys; closed form, so a huge s costs no loop.
        return s <= t ? s * (s + 1) / 2 : t * (t + 1) / 2 + (s - t) * t
    }

    var acceptedAttrs: Set<String> { ["causal", "scale"] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let b = try p.int("b")
        let h = try p.int("h")
        let s = try p.int("s")
        let d = try p.int("d", minimum: 1)
        let t = try p.optionalInt("t", minimum: 1) ?? s
        guard t >= 1 else { throw OpError(field: "shapes", "attention needs at least one key (t ≥ 1)") }
        let causal = try p.bool("causal")
        if attrs["scale"] != nil { _ = try p.double("scale") }
        let pairs = Double(AttentionOp.visiblePairs(s: s, t: t, causal: causal))
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "q", dtype: dtype, shape: [b, h, s, d]),
                TensorSpec(name: "k", dtype: dtype, shape: [b, h, t, d]),
                TensorSpec(name: "v", dtype: dtype, shape: [b, h, t, d]),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: [b, h, s, d]),
            flops: 4 * Double(b) * Double(h) * pairs * Double(d),
            reductionLength: Swift.max(t, d)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        RefTensor(shape: problem.output.shape.dims, data: weightedSums(problem, inputs: inputs, magnitudes: false))
    }

    /// Σ_j p_ij·v_je per query row, or (with `magnitudes`) Σ_j p_ij·|v_je|·(1 + scale·Σ_e|q_ie·k_je|);
    /// `visible(i, j)` is the mask (by default none, or the spec's top-left causal one); `weighting`
    /// may alter a row's probabilities before the sum (a fault class stores them in a narrower float).
    func weightedSums(
        _ problem: OpProblem,
        inputs: [RefTensor],
        magnitudes: Bool,
        visible: ((Int, Int) -> Bool)? = nil,
        weighting: (([Double]) -> [Double])? = nil
    ) -> [Double] {
        let (b, h, s, d) = (problem.int("b"), problem.int("h"), problem.int("s"), problem.int("d"))
        let t = problem.params["t"]?.intValue ?? s
        let v = inputs[2].data
        var out = [Double](repeating: 0, count: b * h * s * d)
        for head in 0..<(b * h) {
            let qBase = head * s * d
            let kvBase = head * t * d
            for i in 0..<s {
                let row = scores(problem, inputs: inputs, head: head, query: i, visible: visible)
                let probabilities = Softmax.probabilities(row.scores)
                let weights = weighting?(probabilities) ?? probabilities
                for e in 0..<d {
                    var sum = 0.0
                    // A masked key contributes nothing, even where v is ±inf (a NaN weight still spreads).
                    for j in 0..<t where weights[j] != 0 {
                        let value = v[kvBase + j * d + e]
                        sum += magnitudes ? weights[j] * (1 + row.spreads[j]) * abs(value) : weights[j] * value
                    }
                    out[qBase + i * d + e] = sum
                }
            }
        }
        return out
    }

    /// One query row's scores scale·q_i·k_j (−inf where masked) and spreads scale·Σ_e|q_ie·k_je| (0 where masked).
    func scores(
        _ problem: OpProblem,
        inputs: [RefTensor],
        head: Int,
        query i: Int,
        visible: ((Int, Int) -> Bool)? = nil
    ) -> (scores: [Double], spreads: [Double]) {
        let s = problem.int("s")
        let d = problem.int("d")
        let t = problem.params["t"]?.intValue ?? s
        let causal = problem.attrBool("causal")
        let sees = visible ?? { i, j in !causal || j <= i }
        let scale = problem.attrDouble("scale") ?? 1 / Double(d).squareRoot()
        let q = inputs[0].data
        let k = inputs[1].data
        let qBase = head * s * d + i * d
        let kvBase = head * t * d
        var scores = [Double](repeating: -.infinity, count: t)
        var spreads = [Double](repeating: 0, count: t)
        for j in 0..<t where sees(i, j) {
            var dot = 0.0
            var absDot = 0.0
            for e in 0..<d {
                let term = q[qBase + e] * k[kvBase + j * d + e]
                dot += term
                absDot += abs(term)
            }
            scores[j] = dot * scale
            spreads[j] = abs(scale) * absDot
        }
        return (scores, spreads)
    }
}

extension AttentionOp {
    /// Two matmuls and a softmax.
    func errorModel(for dtype: DType) -> ErrorModel { .accumulation(extraRoundings: 4) }

    /// out[i,e] = Σ_j p_ij·v_je: the sum's terms are p_ij·|v_je|, and each p_ij carries the relative
    /// error of its score, whose own terms sum to scale·Σ|q_i||k_j|. Masked keys (p = 0) add nothing.
    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        weightedSums(problem, inputs: inputs, magnitudes: true)
    }

    /// A framework that rounds to T the scaled q and k and the scores (math path), x − max and exp
    /// (softmax in T) and the probabilities before P·V (flash kernels): a score error δs_j moves
    /// out_e by p_j·δs_j·(v_je − out_e), a probability's rounding by δp_j·v_je, the row sum's by
    /// u·|out_e|. The scaling errors of one q row are shared by all keys (worst case over j); the
    /// per-key roundings are independent. See docs/OPS.md.
    func stagedRounding(_ input: StagingInput) -> [Double]? {
        let (problem, inputs, expected, staging) = (input.problem, input.inputs, input.expected, input.staging)
        let (b, h, s, d) = (problem.int("b"), problem.int("h"), problem.int("s"), problem.int("d"))
        let t = problem.params["t"]?.intValue ?? s
        let v = inputs[2].data
        let dtype = problem.dtype
        let u = staging.u
        var out = [Double](repeating: 0, count: expected.count)
        for head in 0..<(b * h) {
            let qBase = head * s * d
            let kvBase = head * t * d
            for i in 0..<s {
                let (scores, spreads) = self.scores(problem, inputs: inputs, head: head, query: i)
                let weights = Softmax.probabilities(scores)
                let shift = Softmax.maximum(scores)
                guard shift.isFinite else { continue }
                // Per key: the shared score error A_j and the independent shift/exp error B_j (relative in p_j).
                let shared = (0..<t).map { u * (2 * spreads[$0] + abs(scores[$0])) }
                let independent = (0..<t).map { scores[$0].isFinite ? 0.5 * dtype.ulp(at: scores[$0] - shift) + u : 0 }
                for e in 0..<d {
                    let flat = qBase + i * d + e
                    let result = expected[flat]
                    guard result.isFinite else { continue }
                    var scoreTerm = 0.0
                    var perKey: [Double] = []
                    var probability: [Double] = []
                    for j in 0..<t where weights[j] != 0 {
                        let value = v[kvBase + j * d + e]
                        let spread = abs(value - result)
                        scoreTerm += weights[j] * shared[j] * spread
                        perKey.append(weights[j] * independent[j] * spread)
                        probability.append(staging.rounding(weights[j]) * abs(value))
                    }
                    out[flat] =
                        scoreTerm + StagedRounding.independent(perKey) + StagedRounding.independent(probability) + u
                        * abs(result)
                }
            }
        }
        return out
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        guard index.count == 4 else { return nil }
        let s = problem.int("s")
        let t = problem.params["t"]?.intValue ?? s
        let visible = problem.attrBool("causal") ? Swift.min(index[2] + 1, t) : t
        return
            "batch \(index[0]), head \(index[1]), query row \(index[2]) (\(visible) of \(t) keys visible), dim \(index[3])"
    }
}
