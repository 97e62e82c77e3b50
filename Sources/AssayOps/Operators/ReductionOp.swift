import AssayCore

/// `reduce_sum` and `reduce_mean` over a set of axes, with or without kept dims.
struct ReductionOp: Operator {
    enum Kind: String, Sendable {
        case sum = "reduce_sum"
        case mean = "reduce_mean"
    }
    let kind: Kind
    var name: String { kind.rawValue }
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["axes": .ints([-1]), "keepdim": .bool(false)] }
    var specialValues: SpecialValueSet { .withoutNearMax }

    /// Normalised, sorted axes, or nil when one is out of range or repeated.
    static func axes(_ raw: [Int], rank: Int) -> [Int]? {
        let resolved = raw.map { $0 < 0 ? $0 + rank : $0 }
        guard resolved.allSatisfy({ (0..<rank).contains($0) }), Set(resolved).count == resolved.count else {
            return nil
        }
        return resolved.sorted()
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        guard let axes = ReductionOp.axes(try p.ints("axes"), rank: shape.count) else {
            throw OpError(
                field: "attrs",
                "\(name) axes \(attrs["axes"]!) are out of range or repeated for rank \(shape.count)"
            )
        }
        let keep = try p.bool("keepdim")
        var outShape: [Int] = []
        for (axis, dim) in shape.enumerated() {
            if axes.contains(axis) { if keep { outShape.append(1) } } else { outShape.append(dim) }
        }
        let reduced = Shape(axes.map { shape[$0] }).elementCount
        return p.problem(
            dtype: dtype,
            inputs: [TensorSpec(name: "x", dtype: dtype, shape: Shape(shape))],
            output: TensorSpec(name: "out", dtype: dtype, shape: Shape(outShape)),
            flops: shape.reduce(1.0) { $0 * Double($1) },
            reductionLength: Swift.max(1, reduced)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = inputs[0].shape
        let axes = ReductionOp.axes(problem.attrInts("axes"), rank: shape.count)!
        let reduced = axes.reduce(1) { $0 * shape[$1] }
        // Map every input element to its output slot (the kept axes' coordinates).
        let keptStrides: [Int] = {
            var strides = [Int](repeating: 0, count: shape.count)
            var running = 1
            for axis in shape.indices.reversed() where !axes.contains(axis) {
                strides[axis] = running
                running *= shape[axis]
            }
            return strides
        }()
        var sums = [Double](repeating: 0, count: problem.output.shape.elementCount)
        var index = MultiIndex(rank: shape.count)
        for value in inputs[0].data {
            var slot = 0
            for axis in index.axes { slot += index[axis] * keptStrides[axis] }
            sums[slot] += value
            index.advance(within: shape)
        }
        let data = kind == .sum ? sums : sums.map { $0 / Double(reduced) }
        return RefTensor(shape: problem.output.shape.dims, data: data)
    }
}

extension ReductionOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let axes = ReductionOp.axes(problem.attrInts("axes"), rank: inputs[0].shape.count) ?? []
        return "reduced over axes \(axes) of \(Shape(inputs[0].shape)) (\(problem.reductionLength) terms)"
    }
}
