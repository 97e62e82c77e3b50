import AssayCore

/// Row-major tensors seen as [outer, rows along one axis, inner]: the shared shape arithmetic of the
/// ops that only move whole rows along an axis (concat, slice, gather, repeat_interleave).
struct AxisRows {
    let outer: Int
    let inner: Int

    /// An axis attr of a resolved problem (validated then), made non-negative.
    static func axis(_ problem: OpProblem, _ name: String = "axis", rank: Int) -> Int {
        let raw = problem.attrs[name]?.intValue ?? 0
        return raw < 0 ? raw + rank : raw
    }

    init(shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        inner = shape[(axis + 1)...].reduce(1, *)
    }

    /// The output whose row r along the axis is row `sources[r].row` of input `sources[r].input`,
    /// for every outer index; each input's row count along the axis is `lengths[input]`.
    func assemble(
        _ sources: [(input: Int, row: Int)],
        from inputs: [RefTensor],
        lengths: [Int],
        outShape: [Int]
    ) -> RefTensor {
        var out: [Double] = []
        out.reserveCapacity(outer * sources.count * inner)
        for o in 0..<outer {
            for (input, row) in sources {
                let start = (o * lengths[input] + row) * inner
                out.append(contentsOf: inputs[input].data[start..<(start + inner)])
            }
        }
        return RefTensor(shape: outShape, data: out)
    }
}

extension ProblemParams {
    /// An axis attr (negative counts from the end) resolved against `rank`.
    func axis(_ name: String, rank: Int) throws -> Int {
        guard let raw = attrs[name]?.intValue else {
            throw OpError(field: "attrs", "\(op) attr '\(name)' must be an integer")
        }
        guard let axis = Shape(Array(repeating: 1, count: rank)).normalizedAxis(raw) else {
            throw OpError(field: "attrs", "\(op) \(name) \(raw) is out of range for rank \(rank)")
        }
        return axis
    }
}
