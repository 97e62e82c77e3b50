import AssayCore
import Foundation

/// `argmax` and `topk`: int32 positions of the largest values along `axis`. The order is
/// descending by value with NaN above every number (numpy and torch agree), and equal values
/// (−0 and +0 included) in ascending position: argmax returns the first maximum, topk is stable.
struct SelectionOp: Operator {
    enum Kind: String, Sendable { case argmax, topk }
    let kind: Kind
    var name: String { kind.rawValue }
    let paramNames = ["shape"]
    var attrDefaults: AttrMap {
        kind == .argmax ? ["axis": .int(-1), "keepdim": .bool(false)] : ["axis": .int(-1), "k": .int(1)]
    }

    /// Positions of `row` in the catalogue's order (largest first, NaN first of all, ties by position).
    static func order(_ row: [Double]) -> [Int] {
        row.indices.sorted { i, j in
            let a = row[i]
            let b = row[j]
            if a.isNaN || b.isNaN { return a.isNaN && (!b.isNaN || i < j) }
            return a > b || (a == b && i < j)
        }
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let axis = try p.axis("axis", rank: shape.count)
        var out = shape
        switch kind {
        case .argmax:
            guard shape[axis] > 0 || Shape(shape).elementCount == 0 else {
                throw OpError(field: "shapes", "argmax over an empty axis has no answer")
            }
            if try p.bool("keepdim") { out[axis] = 1 } else { out.remove(at: axis) }
        case .topk:
            guard let k = attrs["k"]?.intValue, k >= 0, k <= shape[axis] else {
                throw OpError(field: "attrs", "topk k must be an integer in 0...\(shape[axis]) (the axis length)")
            }
            out[axis] = k
        }
        let length = Double(shape[axis])
        let rows = Double(Shape(shape).elementCount) / Swift.max(1, length)
        return p.problem(
            dtype: dtype,
            inputs: [TensorSpec(name: "x", dtype: dtype, shape: Shape(shape))],
            output: TensorSpec(name: "out", dtype: .int32, shape: Shape(out)),
            flops: kind == .argmax ? rows * length : rows * length * Swift.max(1, log2(Swift.max(1, length))),
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = inputs[0].shape
        let axis = AxisRows.axis(problem, rank: shape.count)
        let k = kind == .argmax ? 1 : problem.attrs["k"]?.intValue ?? 1
        let rows = AxisRows(shape: shape, axis: axis)
        var out = [Double](repeating: 0, count: problem.output.shape.elementCount)
        // Output [outer, k, inner] in row-major order, whatever keepdim says.
        for o in 0..<rows.outer {
            for i in 0..<rows.inner {
                let row = (0..<shape[axis]).map { inputs[0].data[(o * shape[axis] + $0) * rows.inner + i] }
                for (rank, position) in SelectionOp.order(row).prefix(k).enumerated() {
                    out[(o * k + rank) * rows.inner + i] = Double(position)
                }
            }
        }
        return RefTensor(shape: problem.output.shape.dims, data: out)
    }
}

extension SelectionOp {
    /// Positions are integers: equal or wrong.
    func errorModel(for dtype: DType) -> ErrorModel { .exact }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let shape = inputs[0].shape
        let axis = AxisRows.axis(problem, rank: shape.count)
        var through = index
        if kind == .argmax, !problem.attrBool("keepdim") { through.insert(0, at: axis) }
        guard through.count == shape.count else { return nil }
        return FeedingText.row(
            FeedingText.slice(inputs[0], axis: axis, through: through),
            dtype: problem.dtype,
            label: "row along axis \(axis)"
        )
    }
}
