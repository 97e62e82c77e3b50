import AssayCore

/// `softmax` and `log_softmax` along one axis.
struct SoftmaxOp: Operator {
    let name: String
    let logarithmic: Bool
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["axis": .int(-1)] }

    init(logarithmic: Bool) {
        self.logarithmic = logarithmic
        self.name = logarithmic ? "log_softmax" : "softmax"
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        guard let axisValue = attrs["axis"]?.intValue, let axis = shape.normalizedAxis(axisValue) else {
            throw OpError(field: "attrs", "\(name) axis must be an integer within the rank \(shape.rank)")
        }
        return OpProblem(op: name, dtype: dtype, params: params, attrs: attrs,
                         inputs: [TensorSpec(name: "x", dtype: dtype, shape: shape)],
                         output: TensorSpec(name: "out", dtype: dtype, shape: shape),
                         flops: 5 * Double(shape.elementCount), reductionLength: Swift.max(1, shape[axis]))
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = Shape(inputs[0].shape)
        let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
        let slices = AxisSlices(shape: shape.dims, axis: axis)
        return RefTensor(shape: shape.dims, data: slices.map(inputs[0].data, logarithmic ? Softmax.logProbabilities : Softmax.probabilities))
    }
}
