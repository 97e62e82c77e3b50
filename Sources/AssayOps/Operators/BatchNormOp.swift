import AssayCore

/// `batch_norm` in inference form: per channel (axis 1), (x − mean)/√(var + eps)·weight + bias
/// with the running statistics given as inputs.
struct BatchNormOp: Operator {
    let name = "batch_norm"
    let paramNames = ["shape"]
    var specialValues: SpecialValueSet { .withoutNearMax }
    var attrDefaults: AttrMap { ["eps": .double(1e-5)] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        guard shape.rank >= 2 else { throw OpError(field: "shapes", "batch_norm needs rank ≥ 2 ([n, c, ...])") }
        guard try p.double("eps") >= 0 else { throw OpError(field: "attrs", "batch_norm eps must be ≥ 0") }
        let c = shape.dims[1]
        let channel = { (label: String, role: TensorSpec.Role) in
            TensorSpec(name: label, dtype: dtype, shape: [c], role: role)
        }
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "x", dtype: dtype, shape: shape), channel("mean", .parameter),
                channel("var", .variance),
                channel("weight", .parameter), channel("bias", .parameter),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: shape),
            flops: 4 * Double(shape.elementCount),
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        RefTensor(shape: inputs[0].shape, data: normalised(problem, inputs, magnitudes: false))
    }

    /// y = (x − mean)·r·w + b with r = 1/√(var + eps), or its terms' magnitude (|x| + |mean|)·r·|w| + |b|.
    func normalised(_ problem: OpProblem, _ inputs: [RefTensor], magnitudes: Bool) -> [Double] {
        let shape = inputs[0].shape
        let c = shape[1]
        let inner = shape[2...].reduce(1, *)
        let eps = problem.attrDouble("eps") ?? 0
        let (mean, variance, weight, bias) = (inputs[1].data, inputs[2].data, inputs[3].data, inputs[4].data)
        return inputs[0].data.enumerated().map { flat, x in
            let channel = (flat / Swift.max(1, inner)) % Swift.max(1, c)
            let r = 1 / (variance[channel] + eps).squareRoot()
            return magnitudes
                ? (abs(x) + abs(mean[channel])) * r * abs(weight[channel]) + abs(bias[channel])
                : (x - mean[channel]) * r * weight[channel] + bias[channel]
        }
    }
}

extension BatchNormOp {
    /// The subtraction, the variance's sum, rsqrt (two roundings) and the affine step: each a relative
    /// error on the terms (|x| + |mean|)·r·|w| + |b|, covered by λ·u·M; two more on the result.
    func errorModel(for dtype: DType) -> ErrorModel { .accumulation(extraRoundings: 2) }

    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        normalised(problem, inputs, magnitudes: true)
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        guard index.count >= 2 else { return nil }
        let channel = index[1]
        let flat = zip(index, Shape(inputs[0].shape).strides).reduce(0) { $0 + $1.0 * $1.1 }
        return FeedingText.values(
            [
                ("x", inputs[0].data[flat]), ("mean", inputs[1].data[channel]), ("var", inputs[2].data[channel]),
                ("weight", inputs[3].data[channel]), ("bias", inputs[4].data[channel]),
            ],
            dtype: problem.dtype
        ) + " (channel \(channel))"
    }
}
