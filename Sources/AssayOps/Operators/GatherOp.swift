import AssayCore

/// `gather`: rows along `axis` picked by int32 indices (torch.index_select, numpy.take);
/// `count` indices, by default as many as the axis has rows.
struct GatherOp: MovesValues {
    let name = "gather"
    let paramNames = ["shape", "count"]
    var optionalParams: Set<String> { ["count"] }
    var attrDefaults: AttrMap { ["axis": .int(0)] }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let axis = try p.axis("axis", rank: shape.count)
        let count = try p.optionalInt("count") ?? shape[axis]
        guard count == 0 || shape[axis] > 0 else {
            throw OpError(field: "shapes", "gather from an empty axis \(axis) has no row to pick")
        }
        var out = shape
        out[axis] = count
        let outShape = Shape(out)
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "x", dtype: dtype, shape: Shape(shape)),
                TensorSpec(
                    name: "indices",
                    dtype: .int32,
                    shape: [count],
                    role: .indices(upperBound: Swift.max(1, shape[axis]))
                ),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: outShape),
            flops: 0,
            reductionLength: 1,
            // The picked rows are read, not the whole tensor.
            minimumBytes: Double(count) * 4 + 2 * Double(outShape.elementCount) * Double(dtype.byteWidth)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = problem.inputs[0].shape.dims
        let axis = AxisRows.axis(problem, rank: shape.count)
        return AxisRows(shape: shape, axis: axis)
            .assemble(
                inputs[1].data.map { (input: 0, row: Int($0)) },
                from: inputs,
                lengths: [shape[axis]],
                outShape: problem.output.shape.dims
            )
    }
}

extension GatherOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let axis = AxisRows.axis(problem, rank: problem.inputs[0].shape.rank)
        guard inputs[1].data.indices.contains(index[axis]) else { return nil }
        return "indices[\(index[axis])] = \(Int(inputs[1].data[index[axis]])) → x row along axis \(axis)"
    }
}
