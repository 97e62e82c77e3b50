import AssayCore
import Foundation

/// `softmax` and `log_softmax` along one axis.
struct SoftmaxOp: Operator {
    let name: String
    let logarithmic: Bool
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["axis": .int(-1)] }

    init(logarithmic: Bool) {
        self.logarithmic = logarithmic
        self.name = logarithmic ? "log_softmax" : "softmax"
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        guard let axisValue = attrs["axis"]?.intValue, let axis = shape.normalizedAxis(axisValue) else {
            throw OpError(field: "attrs", "\(name) axis must be an integer within the rank \(shape.rank)")
        }
        return p.problem(
            dtype: dtype,
            inputs: [TensorSpec(name: "x", dtype: dtype, shape: shape)],
            output: TensorSpec(name: "out", dtype: dtype, shape: shape),
            flops: 5 * Double(shape.elementCount),
            reductionLength: Swift.max(1, shape[axis])
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = Shape(inputs[0].shape)
        let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
        let slices = AxisSlices(shape: shape.dims, axis: axis)
        return RefTensor(
            shape: shape.dims,
            data: slices.map(inputs[0].data, logarithmic ? Softmax.logProbabilities : Softmax.probabilities)
        )
    }
}

extension SoftmaxOp {
    /// exp, the sum's division and the shift's rounding on top of the row sum.
    func errorModel(for dtype: DType) -> ErrorModel { .accumulation(extraRoundings: 4) }

    /// The relative error of p_i is about u·(|x_i − max| + λ√L + k): the shifted input's rounding
    /// feeds exp, the row sum adds √L. log_softmax's absolute error adds |log Σ| and the sum's
    /// relative error. M is chosen so that λ·u·√L·M covers both (zero where p_i is exactly 0).
    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        let shape = Shape(inputs[0].shape)
        let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
        let slices = AxisSlices(shape: shape.dims, axis: axis)
        let root = Double(Swift.max(1, slices.length)).squareRoot()
        return slices.map(inputs[0].data) { row in
            let shift = Softmax.maximum(row)
            guard shift.isFinite else { return row.map { _ in 0 } }
            let logTotal = Foundation.log(row.map { Foundation.exp($0 - shift) }.reduce(0, +))
            return row.map { x in
                let spread = abs(x - shift)
                if logarithmic { return x == -.infinity ? 0 : 1 + (spread + abs(logTotal)) / root }
                let p = Foundation.exp(x - shift - logTotal)
                return p == 0 ? 0 : p * (1 + spread / root)
            }
        }
    }

    /// A framework that rounds x − max, exp and the row sum to T: each p_i moves by the relative
    /// errors of its own exp (½ ulp of x_i − max, one rounding of exp) and of the sum (those of every
    /// exp, independent, plus its own rounding); log_softmax adds the rounding of log Σ. See docs/OPS.md.
    func stagedRounding(_ input: StagingInput) -> [Double]? {
        let (problem, inputs, staging) = (input.problem, input.inputs, input.staging)
        let shape = Shape(inputs[0].shape)
        let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
        let slices = AxisSlices(shape: shape.dims, axis: axis)
        let dtype = problem.dtype
        return slices.map(inputs[0].data) { row in
            let shift = Softmax.maximum(row)
            guard shift.isFinite else { return row.map { _ in 0 } }
            let shifted = row.map { $0 - shift }
            let exps = shifted.map { Foundation.exp($0) }
            let total = exps.reduce(0, +)
            // Relative error of each exp: the shifted input's rounding, then exp's own.
            let own = shifted.map { $0.isFinite ? 0.5 * dtype.ulp(at: $0) + staging.u : 0 }
            let length = Double(row.count)
            let sumRelative =
                StagedRounding.independent(zip(exps, own).map { $0 / total * $1 }) + staging.u
                + Swift.min(length, ErrorModel.lambda * length.squareRoot()) * staging.halfSubnormal / total
            if logarithmic {
                let logTotal = Foundation.log(total)
                return shifted.map { d in
                    d.isFinite ? 0.5 * dtype.ulp(at: d) + sumRelative + 0.5 * dtype.ulp(at: logTotal + sumRelative) : 0
                }
            }
            return zip(exps, own).map { e, relative in
                e / total * (relative + sumRelative) + staging.halfSubnormal / total
            }
        }
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        guard let axis = Shape(inputs[0].shape).normalizedAxis(problem.attrs["axis"]?.intValue ?? -1) else {
            return nil
        }
        return FeedingText.row(FeedingText.slice(inputs[0], axis: axis, through: index), dtype: problem.dtype)
    }
}
