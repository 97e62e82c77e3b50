import AssayCore

/// `rotary_embedding`: rotates pairs of x by per-position angles given as cos/sin tables.
struct RotaryEmbeddingOp: Operator {
    let name = "rotary_embedding"
    let paramNames = ["s", "h", "d"]
    var attrDefaults: AttrMap { ["interleaved": .bool(false)] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let s = try p.int("s")
        let h = try p.int("h")
        let d = try p.int("d", minimum: 2)
        guard d % 2 == 0 else { throw OpError(field: "shapes", "rotary_embedding head dim d=\(d) must be even") }
        _ = try p.bool("interleaved")
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "x", dtype: dtype, shape: [s, h, d]),
                TensorSpec(name: "cos", dtype: dtype, shape: [s, d / 2], role: .rotaryCos),
                TensorSpec(name: "sin", dtype: dtype, shape: [s, d / 2], role: .rotarySin),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: [s, h, d]),
            flops: 3 * Double(s) * Double(h) * Double(d),
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        RefTensor(shape: problem.output.shape.dims, data: rotate(problem, inputs: inputs, magnitudes: false))
    }

    /// Rotates every pair, or (with `magnitudes`) gives both outputs of a pair |x1·cos| + |x2·sin|.
    func rotate(_ problem: OpProblem, inputs: [RefTensor], magnitudes: Bool) -> [Double] {
        let s = problem.int("s")
        let h = problem.int("h")
        let d = problem.int("d")
        let interleaved = problem.attrBool("interleaved")
        let x = inputs[0].data
        let cos = inputs[1].data
        let sin = inputs[2].data
        var out = x
        let half = d / 2
        for position in 0..<s {
            for head in 0..<h {
                let base = (position * h + head) * d
                for i in 0..<half {
                    let (first, second) = interleaved ? (base + 2 * i, base + 2 * i + 1) : (base + i, base + i + half)
                    let c = cos[position * half + i]
                    let sn = sin[position * half + i]
                    if magnitudes {
                        out[first] = abs(x[first] * c) + abs(x[second] * sn)
                        out[second] = abs(x[second] * c) + abs(x[first] * sn)
                    } else {
                        out[first] = x[first] * c - x[second] * sn
                        out[second] = x[second] * c + x[first] * sn
                    }
                }
            }
        }
        return out
    }
}

extension RotaryEmbeddingOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        guard index.count == 3 else { return nil }
        let d = problem.int("d")
        let half = d / 2
        let h = problem.int("h")
        let i = problem.attrBool("interleaved") ? index[2] / 2 : index[2] % half
        let base = (index[0] * h + index[1]) * d
        let (first, second) =
            problem.attrBool("interleaved") ? (base + 2 * i, base + 2 * i + 1) : (base + i, base + i + half)
        return FeedingText.values(
            [
                ("x1", inputs[0].data[first]), ("x2", inputs[0].data[second]),
                ("cos", inputs[1].data[index[0] * half + i]), ("sin", inputs[2].data[index[0] * half + i]),
            ],
            dtype: problem.dtype
        )
    }
}

extension RotaryEmbeddingOp {
    /// Both outputs of a pair sum two products: M = |x1·cos| + |x2·sin| (the reference subtracts one).
    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        rotate(problem, inputs: inputs, magnitudes: true)
    }

    /// Both products rounded to T before the subtraction (a rotation written out in T): one
    /// rounding each, u_T·M plus two half subnormal spacings.
    func stagedRounding(_ input: StagingInput) -> [Double]? {
        let (magnitudes, staging) = (input.magnitudes, input.staging)
        return magnitudes.map { staging.u * $0 + 2 * staging.halfSubnormal }
    }
}
