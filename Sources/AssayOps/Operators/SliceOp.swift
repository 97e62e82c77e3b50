import AssayCore

/// `slice`: rows `start..<end` along `axis` (a `split` is several slices).
struct SliceOp: MovesValues {
    let name = "slice"
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["axis": .int(-1), "start": .int(0)] }
    var acceptedAttrs: Set<String> { ["axis", "start", "end"] }

    /// (axis, start, end) of a resolved problem; `end` defaults to the axis length.
    static func bounds(_ problem: OpProblem) -> (axis: Int, start: Int, end: Int) {
        let shape = problem.inputs[0].shape.dims
        let axis = AxisRows.axis(problem, rank: shape.count)
        return (axis, problem.attrs["start"]?.intValue ?? 0, problem.attrs["end"]?.intValue ?? shape[axis])
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let axis = try p.axis("axis", rank: shape.count)
        guard let start = attrs["start"]?.intValue else {
            throw OpError(field: "attrs", "slice attr 'start' must be an integer")
        }
        let end =
            try attrs["end"].map { value -> Int in
                guard let end = value.intValue else {
                    throw OpError(field: "attrs", "slice attr 'end' must be an integer")
                }
                return end
            } ?? shape[axis]
        guard 0 <= start, start <= end, end <= shape[axis] else {
            throw OpError(
                field: "attrs",
                "slice needs 0 ≤ start ≤ end ≤ \(shape[axis]) (the axis length), found start \(start), end \(end)"
            )
        }
        var out = shape
        out[axis] = end - start
        // Only the kept rows are read.
        let minimumBytes = 2 * Double(Shape(out).elementCount) * Double(dtype.byteWidth)
        return p.movement(
            dtype: dtype,
            input: Shape(shape),
            output: Shape(out),
            minimumBytes: minimumBytes
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let (axis, start, end) = SliceOp.bounds(problem)
        let shape = problem.inputs[0].shape.dims
        return AxisRows(shape: shape, axis: axis)
            .assemble(
                (start..<end).map { (input: 0, row: $0) },
                from: inputs,
                lengths: [shape[axis]],
                outShape: problem.output.shape.dims
            )
    }
}

extension SliceOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let (axis, start, _) = SliceOp.bounds(problem)
        return "x row \(index[axis] + start) along axis \(axis)"
    }
}
