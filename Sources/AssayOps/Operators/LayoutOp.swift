import AssayCore

/// Memory-bound layout ops: `copy` (x unchanged) and `transpose` (x permuted, made contiguous).
struct LayoutOp: MovesValues {
    enum Kind: String, Sendable { case copy, transpose }
    let kind: Kind
    var name: String { kind.rawValue }
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { [:] }

    /// The permutation: the attr, or reversed axes.
    static func permutation(_ attrs: AttrMap, rank: Int) -> [Int] {
        attrs["perm"]?.intsValue ?? Array((0..<rank).reversed())
    }

    var acceptedAttrs: Set<String> { kind == .transpose ? ["perm"] : [] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        var outShape = shape
        if kind == .transpose {
            let perm = LayoutOp.permutation(attrs, rank: shape.count)
            guard perm.sorted() == Array(0..<shape.count) else {
                throw OpError(field: "attrs", "transpose perm \(perm) is not a permutation of 0..<\(shape.count)")
            }
            outShape = perm.map { shape[$0] }
        }
        return p.movement(
            dtype: dtype,
            input: Shape(shape),
            output: Shape(outShape)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        guard kind == .transpose else { return inputs[0] }
        let shape = inputs[0].shape
        let perm = LayoutOp.permutation(problem.attrs, rank: shape.count)
        let inStrides = Shape(shape).strides
        let outShape = perm.map { shape[$0] }
        let data = inputs[0].data
        var out = [Double](repeating: 0, count: data.count)
        var index = MultiIndex(rank: outShape.count)
        for flat in 0..<out.count {
            var source = 0
            for axis in index.axes { source += index[axis] * inStrides[perm[axis]] }
            out[flat] = data[source]
            index.advance(within: outShape)
        }
        return RefTensor(shape: outShape, data: out)
    }
}

extension LayoutOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let inStrides = Shape(inputs[0].shape).strides
        let perm =
            kind == .transpose
            ? LayoutOp.permutation(problem.attrs, rank: inputs[0].shape.count) : Array(inputs[0].shape.indices)
        let source = index.enumerated().reduce(0) { $0 + $1.element * inStrides[perm[$1.offset]] }
        return FeedingText.values([("x", inputs[0].data[source])], dtype: problem.dtype)
    }
}
