import AssayCore

/// `repeat_interleave`: each row along `axis` repeated `repeats` times in place
/// (torch.repeat_interleave): grouped-query attention's key/value heads, `[b,kvh,t,d]` → `[b,kvh·n,t,d]`.
struct RepeatInterleaveOp: MovesValues {
    let name = "repeat_interleave"
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["repeats": .int(2), "axis": .int(1)] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let axis = try p.axis("axis", rank: shape.count)
        guard let repeats = attrs["repeats"]?.intValue, repeats >= 1, repeats <= 65_536 else {
            throw OpError(field: "attrs", "repeat_interleave repeats must be an integer in 1...65536")
        }
        var out = shape
        out[axis] = shape[axis] * repeats
        return p.movement(dtype: dtype, input: Shape(shape), output: Shape(out))
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = problem.inputs[0].shape.dims
        let axis = AxisRows.axis(problem, rank: shape.count)
        let repeats = problem.attrs["repeats"]?.intValue ?? 1
        let sources = (0..<(shape[axis] * repeats)).map { (input: 0, row: $0 / repeats) }
        return AxisRows(shape: shape, axis: axis).assemble(
            sources,
            from: inputs,
            lengths: [shape[axis]],
            outShape: problem.output.shape.dims
        )
    }
}

extension RepeatInterleaveOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let axis = AxisRows.axis(problem, rank: problem.inputs[0].shape.rank)
        let repeats = problem.attrs["repeats"]?.intValue ?? 1
        return "x row \(index[axis] / repeats) along axis \(axis)"
    }
}
