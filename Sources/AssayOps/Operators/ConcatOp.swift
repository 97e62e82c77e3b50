import AssayCore

/// `concat`: pieces joined along `axis`; `shape` is the joined shape and `sizes` the pieces'
/// lengths along the axis (default: two pieces, the first the larger half).
struct ConcatOp: MovesValues {
    let name = "concat"
    let paramNames = ["shape", "sizes"]
    var optionalParams: Set<String> { ["sizes"] }
    var attrDefaults: AttrMap { ["axis": .int(-1)] }

    static func sizes(_ problem: OpProblem) -> [Int] {
        problem.inputs.map { $0.shape.dims[AxisRows.axis(problem, rank: problem.output.shape.rank)] }
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let axis = try p.axis("axis", rank: shape.count)
        let length = shape[axis]
        let sizes = params["sizes"] == nil ? [(length + 1) / 2, length / 2] : try p.shape("sizes")
        guard !sizes.isEmpty, sizes.reduce(0, +) == length else {
            throw OpError(
                field: "shapes",
                "concat sizes \(sizes) must be at least one piece and sum to the axis length \(length)"
            )
        }
        let inputs = sizes.enumerated().map { index, size in
            var dims = shape
            dims[axis] = size
            return TensorSpec(name: "x\(index)", dtype: dtype, shape: Shape(dims))
        }
        return p.problem(
            dtype: dtype,
            inputs: inputs,
            output: TensorSpec(name: "out", dtype: dtype, shape: Shape(shape)),
            flops: 0,
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let axis = AxisRows.axis(problem, rank: problem.output.shape.rank)
        let sizes = ConcatOp.sizes(problem)
        let sources = sizes.enumerated().flatMap { input, size in (0..<size).map { (input: input, row: $0) } }
        return AxisRows(shape: problem.output.shape.dims, axis: axis)
            .assemble(sources, from: inputs, lengths: sizes, outShape: problem.output.shape.dims)
    }
}

extension ConcatOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let axis = AxisRows.axis(problem, rank: problem.output.shape.rank)
        var row = index[axis]
        for (piece, size) in ConcatOp.sizes(problem).enumerated() {
            if row < size { return "x\(piece) row \(row) along axis \(axis)" }
            row -= size
        }
        return nil
    }
}
