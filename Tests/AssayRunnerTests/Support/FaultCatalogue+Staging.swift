import AssayCore
import Foundation

@testable import AssayOps

/// Bug classes just outside the bound for intermediates rounded to T (docs/OPS.md): the staging
/// allowance of f16/bf16 must not excuse them.
extension FaultCatalogue {
    static let stagingFaults: [FaultClass] = [
        FaultClass("biased probabilities: every softmax result 3 ulp of T too high", op: "softmax") { problem, inputs in
            FaultClass.reference("softmax", problem, inputs).map {
                $0.isFinite ? $0 + 3 * problem.dtype.ulp(at: $0) : $0
            }
        },
        FaultClass(
            "softmax staged one precision too narrow: x − max, exp and Σ stored in the next narrower float",
            op: "softmax",
            caughtIn: [.f64, .f32, .f16],
            exemption: "bf16 has no narrower float"
        ) { problem, inputs in
            let narrow = FaultClass.narrower(problem.dtype) ?? problem.dtype
            let shape = Shape(inputs[0].shape)
            let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
            return AxisSlices(shape: shape.dims, axis: axis).map(inputs[0].data) { row in
                narrowSoftmax(row, narrow)
            }
        },
        FaultClass(
            "attention without its scale: softmax(q·kᵀ) instead of softmax(q·kᵀ/√d)",
            op: "scaled_dot_product_attention"
        ) { problem, inputs in
            var unscaled = problem
            unscaled.attrs["scale"] = .double(1)
            return FaultClass.reference("scaled_dot_product_attention", unscaled, inputs)
        },
        FaultClass(
            "attention probabilities stored in the next narrower float before P·V",
            op: "scaled_dot_product_attention",
            caughtIn: [.f64, .f32, .f16],
            exemption: "bf16 has no narrower float"
        ) { problem, inputs in
            let narrow = FaultClass.narrower(problem.dtype) ?? problem.dtype
            return AttentionOp().weightedSums(
                problem,
                inputs: inputs,
                magnitudes: false,
                weighting: { $0.map(narrow.round) }
            )
        },
        FaultClass(
            "linear's product rounded through the next narrower float before the bias is added",
            op: "linear",
            caughtIn: [.f64, .f32, .f16],
            exemption: "bf16 has no narrower float"
        ) { problem, inputs in
            let narrow = FaultClass.narrower(problem.dtype) ?? problem.dtype
            let product = FaultClass.reference("linear", problem, Array(inputs.prefix(2)))
            guard inputs.count > 2 else { return product.map(narrow.round) }
            let n = Swift.max(1, problem.int("n"))
            return product.enumerated().map { narrow.round($1) + inputs[2].data[$0 % n] }
        },
    ]

    /// Softmax with x − max, exp and the row sum each rounded to `narrow`.
    static func narrowSoftmax(_ row: [Double], _ narrow: DType) -> [Double] {
        let shift = Softmax.maximum(row)
        let exps = row.map { narrow.round(exp(narrow.round($0 - shift))) }
        let total = narrow.round(exps.reduce(0, +))
        return exps.map { $0 / total }
    }
}
