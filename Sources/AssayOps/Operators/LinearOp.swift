import AssayCore

/// `linear`: x·weightᵀ + bias.
struct LinearOp: Operator {
    let name = "linear"
    let paramNames = ["m", "n", "k"]
    var attrDefaults: AttrMap { ["bias": .bool(true)] }
    var specialValues: SpecialValueSet { .withoutNearMax }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let m = try p.int("m")
        let n = try p.int("n")
        let k = try p.int("k")
        var inputs = [
            TensorSpec(name: "x", dtype: dtype, shape: [m, k]),
            TensorSpec(name: "weight", dtype: dtype, shape: [n, k]),
        ]
        if try p.bool("bias") { inputs.append(TensorSpec(name: "bias", dtype: dtype, shape: [n], role: .parameter)) }
        return OpProblem(
            op: name,
            dtype: dtype,
            params: params,
            attrs: attrs,
            inputs: inputs,
            output: TensorSpec(name: "out", dtype: dtype, shape: [m, n]),
            flops: 2 * Double(m) * Double(n) * Double(k),
            reductionLength: k
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let m = problem.int("m")
        let n = problem.int("n")
        let k = problem.int("k")
        let x = inputs[0].data
        let w = inputs[1].data
        let bias = inputs.count > 2 ? inputs[2].data : nil
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += x[i * k + p] * w[j * k + p] }
                out[i * n + j] = sum + (bias?[j] ?? 0)
            }
        }
        return RefTensor(shape: [m, n], data: out)
    }
}

extension LinearOp {
    /// The product x·wᵀ rounded to T before the bias is added (a second rounding).
    func stagedRounding(
        _ problem: OpProblem,
        inputs: [RefTensor],
        expected: [Double],
        magnitudes: [Double]
    ) -> [Double]? {
        guard inputs.count > 2, let staging = StagedRounding(problem.dtype) else { return nil }
        let n = Swift.max(1, problem.int("n"))
        return staging.biasStaging(
            expected: expected,
            magnitudes: magnitudes,
            bias: inputs[2].data,
            reductionLength: problem.reductionLength
        ) { $0 % n }
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let n = index.count
        return n >= 2 ? "row \(index[n - 2]) of the left operand · column \(index[n - 1]) of the right" : nil
    }
}
