import AssayCore
import Foundation

@testable import AssayOps

/// Bug classes of the ops model graphs need (issue 17): what index, order and layout mistakes
/// real implementations make, each re-created on top of the float64 reference.
extension FaultCatalogue {
    static let graphOpFaults: [FaultClass] = [
        FaultClass("off-by-one gather: row index + 1 along the axis (a 1-based index)", op: "gather") {
            problem,
            inputs in
            let length = problem.inputs[0].shape.dims[AxisRows.axis(problem, rank: problem.inputs[0].shape.rank)]
            let shifted = RefTensor(
                shape: inputs[1].shape,
                data: inputs[1].data.map { Double((Int($0) + 1) % Swift.max(1, length)) }
            )
            return FaultClass.reference("gather", problem, [inputs[0], shifted])
        },
        FaultClass("unsorted top-k: the k largest returned in position order, not largest first", op: "topk") {
            problem,
            inputs in
            reordered(problem, inputs) { ranked in ranked.sorted() }
        },
        FaultClass("ties to the last position: topk orders equal values by descending position", op: "topk") {
            problem,
            inputs in
            let shape = inputs[0].shape
            let axis = AxisRows.axis(problem, rank: shape.count)
            return FaultClass.reference("topk", problem, [mirrored(inputs[0], axis: axis)]).map {
                Double(shape[axis] - 1) - $0
            }
        },
        FaultClass("NaN ignored: argmax skips NaN (fmax-style) instead of returning its position", op: "argmax") {
            problem,
            inputs in
            let cleaned = RefTensor(shape: inputs[0].shape, data: inputs[0].data.map { $0.isNaN ? -.infinity : $0 })
            return FaultClass.reference("argmax", problem, [cleaned])
        },
        FaultClass("last maximum: argmax returns the last of equal maxima", op: "argmax") { problem, inputs in
            let shape = inputs[0].shape
            let axis = AxisRows.axis(problem, rank: shape.count)
            return FaultClass.reference("argmax", problem, [mirrored(inputs[0], axis: axis)]).map {
                Double(shape[axis] - 1) - $0
            }
        },
        FaultClass(
            "truncating cast: values rounded toward zero instead of to nearest even",
            op: "cast",
            caughtIn: [.f64, .f32, .f16],
            exemption: "bf16: its cases' values fit the other dtypes exactly or round the same way"
        ) { problem, inputs in
            inputs[0].data.map { FaultClass.truncate($0, to: problem.output.dtype) }
        },
        FaultClass("swapped branches: where returns b where cond is set", op: "where") { problem, inputs in
            FaultClass.reference("where", problem, [inputs[0], inputs[2], inputs[1]])
        },
        FaultClass("inverted mask: masked_fill fills where the mask is clear", op: "masked_fill") { problem, inputs in
            let inverted = RefTensor(shape: inputs[1].shape, data: inputs[1].data.map { $0 == 0 ? 1 : 0 })
            return FaultClass.reference("masked_fill", problem, [inputs[0], inverted])
        },
        FaultClass(
            "tile instead of interleave: repeat_interleave as torch's repeat (heads 0,1,0,1 instead of 0,0,1,1)",
            op: "repeat_interleave"
        ) { problem, inputs in
            let shape = inputs[0].shape
            let axis = AxisRows.axis(problem, rank: shape.count)
            let repeats = problem.attrs["repeats"]?.intValue ?? 1
            let sources = (0..<(shape[axis] * repeats)).map { (input: 0, row: $0 % Swift.max(1, shape[axis])) }
            return AxisRows(shape: shape, axis: axis).assemble(
                sources,
                from: inputs,
                lengths: [shape[axis]],
                outShape: problem.output.shape.dims
            ).data
        },
        FaultClass("column-major reshape: values read in Fortran order", op: "reshape") { problem, inputs in
            // The input's elements in column-major order, laid out row-major in the new shape.
            let shape = inputs[0].shape
            let perm = Array(shape.indices.reversed())
            var transposed = problem
            transposed.attrs = ["perm": .ints(perm)]
            let columnMajor = LayoutOp(kind: .transpose).reference(transposed, inputs: inputs).data
            return columnMajor
        },
        FaultClass("pieces swapped: concat joins its inputs last to first", op: "concat") { problem, inputs in
            var reversed = problem
            reversed.inputs = problem.inputs.reversed()
            return FaultClass.reference("concat", reversed, inputs.reversed())
        },
        FaultClass("off-by-one slice: rows start+1 ... end instead of start ..< end", op: "slice") { problem, inputs in
            let shape = inputs[0].shape
            let (axis, start, end) = SliceOp.bounds(problem)
            let rows = (start..<end).map { (input: 0, row: Swift.min($0 + 1, shape[axis] - 1)) }
            return AxisRows(shape: shape, axis: axis).assemble(
                rows,
                from: inputs,
                lengths: [shape[axis]],
                outShape: problem.output.shape.dims
            ).data
        },
        FaultClass("eps placement: batch_norm divides by √var + eps instead of √(var + eps)", op: "batch_norm") {
            problem,
            inputs in
            let shape = inputs[0].shape
            let eps = problem.attrDouble("eps") ?? 0
            let inner = shape[2...].reduce(1, *)
            let c = shape[1]
            return inputs[0].data.enumerated().map { flat, x in
                let channel = (flat / Swift.max(1, inner)) % Swift.max(1, c)
                return (x - inputs[1].data[channel]) / (inputs[2].data[channel].squareRoot() + eps)
                    * inputs[3].data[channel] + inputs[4].data[channel]
            }
        },
    ]

    /// The reference's topk with each row's top-k positions passed through `change`.
    static func reordered(_ problem: OpProblem, _ inputs: [RefTensor], _ change: ([Int]) -> [Int]) -> [Double] {
        let shape = inputs[0].shape
        let axis = AxisRows.axis(problem, rank: shape.count)
        let k = problem.attrs["k"]?.intValue ?? 1
        let rows = AxisRows(shape: shape, axis: axis)
        var out = [Double](repeating: 0, count: rows.outer * k * rows.inner)
        for o in 0..<rows.outer {
            for i in 0..<rows.inner {
                let row = (0..<shape[axis]).map { inputs[0].data[(o * shape[axis] + $0) * rows.inner + i] }
                for (rank, position) in change(Array(SelectionOp.order(row).prefix(k))).enumerated() {
                    out[(o * k + rank) * rows.inner + i] = Double(position)
                }
            }
        }
        return out
    }

    /// `tensor` with the order along `axis` reversed.
    static func mirrored(_ tensor: RefTensor, axis: Int) -> RefTensor {
        let length = tensor.shape[axis]
        let rows = AxisRows(shape: tensor.shape, axis: axis)
        return rows.assemble(
            (0..<length).map { (input: 0, row: length - 1 - $0) },
            from: [tensor],
            lengths: [length],
            outShape: tensor.shape
        )
    }
}
