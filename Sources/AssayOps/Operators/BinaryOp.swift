import AssayCore

/// `add` and `mul` with numpy broadcasting.
struct BinaryOp: Operator {
    enum Kind: String, Sendable { case add, mul }
    let kind: Kind
    var name: String { kind.rawValue }
    let paramNames = ["a", "b"]

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let a = try p.shape("a")
        let b = try p.shape("b")
        guard let out = Broadcast.shape(a, b) else {
            throw OpError(field: "shapes", "\(name): shapes \(Shape(a)) and \(Shape(b)) do not broadcast")
        }
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "a", dtype: dtype, shape: Shape(a)),
                TensorSpec(name: "b", dtype: dtype, shape: Shape(b)),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: Shape(out)),
            flops: out.reduce(1.0) { $0 * Double($1) },
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let outShape = problem.output.shape.dims
        let ia = Broadcast.sourceIndices(of: inputs[0].shape, into: outShape)
        let ib = Broadcast.sourceIndices(of: inputs[1].shape, into: outShape)
        let a = inputs[0].data
        let b = inputs[1].data
        let data = zip(ia, ib).map { kind == .add ? a[$0] + b[$1] : a[$0] * b[$1] }
        return RefTensor(shape: outShape, data: data)
    }
}

extension BinaryOp {
    /// One IEEE operation: correctly rounded.
    func errorModel(for dtype: DType) -> ErrorModel { .correctlyRounded }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let outShape = problem.output.shape.dims
        func operand(_ tensor: RefTensor) -> Double {
            let padded = Array(repeating: 1, count: outShape.count - tensor.shape.count) + tensor.shape
            let strides = Shape(padded).strides
            return tensor.data[zip(index, zip(padded, strides)).reduce(0) { $0 + ($1.1.0 == 1 ? 0 : $1.0 * $1.1.1) }]
        }
        return FeedingText.values([("a", operand(inputs[0])), ("b", operand(inputs[1]))], dtype: problem.dtype)
    }
}
