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
        return p.problem(
            dtype: dtype,
            inputs: inputs,
            output: TensorSpec(name: "out", dtype: dtype, shape: [m, n]),
            flops: 2 * Double(m) * Double(n) * Double(k),
            reductionLength: k
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let dims = MatmulDims(problem)
        var out = ProductReference.multiply(inputs[0].data, inputs[1].data, dims, bTransposed: true)
        if inputs.count > 2 {
            let bias = inputs[2].data
            for index in out.indices { out[index] += bias[index % dims.n] }
        }
        return RefTensor(shape: [dims.m, dims.n], data: out)
    }
}

extension LinearOp {
    /// The product x·wᵀ rounded to T before the bias is added (a second rounding).
    func stagedRounding(_ input: StagingInput) -> [Double]? {
        guard input.inputs.count > 2 else { return nil }
        let (problem, inputs, expected, magnitudes, staging) = (
            input.problem, input.inputs, input.expected, input.magnitudes, input.staging
        )
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
