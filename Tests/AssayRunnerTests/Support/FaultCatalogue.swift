import AssayCore
import Foundation

@testable import AssayOps

/// At least twenty bug classes real kernels have had, each as a FaultClass (issue 14).
enum FaultCatalogue {
    static let all: [FaultClass] = kernelFaults + stagingFaults + graphOpFaults

    static let kernelFaults: [FaultClass] = [
        FaultClass(
            "wrong accumulation dtype: the dot product accumulates in a narrower float (f64 in f32, f32/f16 in bf16, bf16 in bf16)",
            op: "matmul"
        ) { problem, inputs in
            let batch = problem.params["b"]?.intValue ?? 1
            let m = problem.int("m")
            let n = problem.int("n")
            let k = problem.int("k")
            let ta = problem.attrBool("transpose_a")
            let tb = problem.attrBool("transpose_b")
            let acc = FaultClass.narrower(problem.dtype) ?? problem.dtype
            let a = inputs[0].data
            let b = inputs[1].data
            var out = [Double](repeating: 0, count: batch * m * n)
            for z in 0..<batch {
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let x = ta ? a[z * m * k + p * m + i] : a[z * m * k + i * k + p]
                            let y = tb ? b[z * k * n + j * k + p] : b[z * k * n + p * n + j]
                            sum = acc.round(sum + x * y)
                        }
                        out[z * m * n + i * n + j] = sum
                    }
                }
            }
            return out
        },
        FaultClass(
            "truncating rounding: the sum is rounded toward zero instead of to nearest even",
            op: "add",
            caughtIn: [.f32, .f16, .bf16],
            exemption: "f64: the f64 sum is the correctly rounded one"
        ) { problem, inputs in
            FaultClass.reference("add", problem, inputs).map { FaultClass.truncate($0, to: problem.dtype) }
        },
        FaultClass(
            "reduced-precision output: the result is rounded through the next narrower float",
            op: "matmul",
            caughtIn: [.f64, .f32, .f16],
            exemption: "bf16 has no narrower float"
        ) { problem, inputs in
            FaultClass.reference("matmul", problem, inputs).map {
                (FaultClass.narrower(problem.dtype) ?? problem.dtype).round($0)
            }
        },
        FaultClass("wrong reduction axis: softmax normalises along axis 0 instead of the requested one", op: "softmax")
        { problem, inputs in
            var wrong = problem
            wrong.attrs["axis"] = .int(0)
            return FaultClass.reference("softmax", wrong, inputs)
        },
        FaultClass(
            "missing max-subtraction: softmax as exp(x)/Σexp(x), which overflows for large inputs",
            op: "softmax"
        ) { problem, inputs in
            let shape = Shape(inputs[0].shape)
            let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
            return AxisSlices(shape: shape.dims, axis: axis).map(inputs[0].data) { row in
                let exps = row.map { exp($0) }
                let total = exps.reduce(0, +)
                return exps.map { $0 / total }
            }
        },
        FaultClass("log of softmax: log_softmax as log(softmax(x)), which underflows to −inf", op: "log_softmax") {
            problem,
            inputs in
            FaultClass.reference("softmax", problem, inputs).map { log($0) }
        },
        FaultClass("eps placement: layer_norm divides by √var + eps instead of √(var + eps)", op: "layer_norm") {
            problem,
            inputs in
            normalised(problem, inputs, layer: true) { variance, eps in 1 / (variance.squareRoot() + eps) }
        },
        FaultClass("eps placement: rms_norm divides by √(ms) + eps instead of √(ms + eps)", op: "rms_norm") {
            problem,
            inputs in
            normalised(problem, inputs, layer: false) { meanSquare, eps in 1 / (meanSquare.squareRoot() + eps) }
        },
        FaultClass("unbiased variance: layer_norm divides the squared deviations by N − 1", op: "layer_norm") {
            problem,
            inputs in
            normalised(problem, inputs, layer: true, unbiased: true) { variance, eps in
                1 / (variance + eps).squareRoot()
            }
        },
        FaultClass("centred RMS: rms_norm subtracts the row mean like layer_norm", op: "rms_norm") { problem, inputs in
            var layer = problem
            layer.op = "layer_norm"
            let zeros = RefTensor(shape: inputs[1].shape, data: inputs[1].data.map { _ in 0 })
            return FaultClass.reference("layer_norm", layer, [inputs[0], inputs[1], zeros])
        },
        FaultClass(
            "off-by-one causal mask: a query sees only keys strictly before it (j < i)",
            op: "scaled_dot_product_attention"
        ) { problem, inputs in
            attention(problem, inputs) { i, j, _, _ in j < i }
        },
        FaultClass(
            "bottom-right causal alignment: the mask is aligned to the last key when s ≠ t",
            op: "scaled_dot_product_attention"
        ) { problem, inputs in
            attention(problem, inputs) { i, j, s, t in j <= i + t - s }
        },
        FaultClass("attention scale ignored: always 1/√d, whatever `scale` says", op: "scaled_dot_product_attention") {
            problem,
            inputs in
            var plain = problem
            plain.attrs["scale"] = nil
            return FaultClass.reference("scaled_dot_product_attention", plain, inputs)
        },
        FaultClass("off-by-one index: embedding gathers row index + 1 (1-based table)", op: "embedding") {
            problem,
            inputs in
            let vocab = problem.int("vocab")
            let shifted = RefTensor(shape: inputs[0].shape, data: inputs[0].data.map { Double((Int($0) + 1) % vocab) })
            return FaultClass.reference("embedding", problem, [shifted, inputs[1]])
        },
        FaultClass(
            "broadcast along the wrong axis: a smaller b is indexed by the output's last coordinate (row-vector assumption)",
            op: "add"
        ) { problem, inputs in
            let outShape = problem.output.shape.dims
            guard inputs[1].shape != outShape, let last = outShape.last, last > 0 else {
                return FaultClass.reference("add", problem, inputs)
            }
            let ia = Broadcast.sourceIndices(of: inputs[0].shape, into: outShape)
            let b = inputs[1].data
            return ia.enumerated().map { flat, source in
                inputs[0].data[source] + b[(flat % last) % Swift.max(1, b.count)]
            }
        },
        FaultClass(
            "wrapped integer accumulation: int8 products summed in int16, which wraps",
            op: "matmul_int8",
            caughtIn: [.int8]
        ) { problem, inputs in
            let m = problem.int("m")
            let n = problem.int("n")
            let k = problem.int("k")
            let a = inputs[0].data
            let b = inputs[1].data
            var out = [Double](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Int16 = 0
                    for p in 0..<k { sum = sum &+ Int16(truncatingIfNeeded: Int(a[i * k + p]) * Int(b[p * n + j])) }
                    out[i * n + j] = Double(sum)
                }
            }
            return out
        },
        FaultClass(
            "swapped rotary convention: interleaved pairs where half-split is asked, and vice versa",
            op: "rotary_embedding"
        ) { problem, inputs in
            var swapped = problem
            swapped.attrs["interleaved"] = .bool(!problem.attrBool("interleaved"))
            return FaultClass.reference("rotary_embedding", swapped, inputs)
        },
        FaultClass("one-sided padding: all of conv2d's padding applied at the top and left", op: "conv2d") {
            problem,
            inputs in
            let padding = problem.attrInts("padding").expanded(to: 2)
            let n = problem.int("n")
            let c = problem.int("c")
            let h = problem.int("h")
            let w = problem.int("w")
            // Shifting the image down-right by the padding puts 2p of padding above and p − p = 0 below.
            var shifted = [Double](repeating: 0, count: inputs[0].data.count)
            for plane in 0..<(n * c) {
                for y in 0..<h where y - padding[0] >= 0 {
                    for x in 0..<w where x - padding[1] >= 0 {
                        shifted[(plane * h + y) * w + x] =
                            inputs[0].data[(plane * h + y - padding[0]) * w + x - padding[1]]
                    }
                }
            }
            return FaultClass.reference(
                "conv2d",
                problem,
                [RefTensor(shape: inputs[0].shape, data: shifted)] + inputs.dropFirst()
            )
        },
        FaultClass("NaN swallowed: relu as fmax(x, 0), which returns 0 for NaN", op: "relu") { problem, inputs in
            inputs[0].data.map { $0.isNaN ? 0 : Swift.max($0, 0) }
        },
        FaultClass("transpose flag ignored: matmul reads b as [k, n] even when transpose_b says [n, k]", op: "matmul") {
            problem,
            inputs in
            var plain = problem
            plain.attrs["transpose_b"] = .bool(false)
            return FaultClass.reference("matmul", plain, inputs)
        },
        FaultClass("mean over several axes divides by the last reduced axis's length only", op: "reduce_mean") {
            problem,
            inputs in
            let axes = ReductionOp.axes(problem.attrInts("axes"), rank: inputs[0].shape.count)!
            let full = Double(problem.reductionLength)
            let last = Double(inputs[0].shape[axes.last!])
            return FaultClass.reference("reduce_mean", problem, inputs).map { $0 * full / last }
        },
        FaultClass(
            "tanh approximation where the erf form is asked (gelu approximate=none)",
            op: "gelu",
            caughtIn: [.f64, .f32],
            exemption: "f16/bf16: |tanh form − erf form| ≤ 2e-4 on [−1, 1] is within an ulp"
        ) { problem, inputs in
            var tanhForm = problem
            tanhForm.attrs["approximate"] = .string("tanh")
            return FaultClass.reference("gelu", tanhForm, inputs)
        },
        FaultClass(
            "infinity saturated: ±inf stored as ± the largest finite value (a saturating conversion)",
            op: "copy"
        ) { problem, inputs in
            inputs[0].data.map { $0.isInfinite ? ($0 > 0 ? problem.dtype.maxFinite : -problem.dtype.maxFinite) : $0 }
        },
        FaultClass("subnormals flushed to zero (FTZ/DAZ left on)", op: "copy") { problem, inputs in
            inputs[0].data.map { abs($0) < problem.dtype.minNormal ? 0 * $0 : $0 }
        },
    ]

    /// layer/rms norm with a chosen inverse-scale formula (`inverse(variance or mean square, eps)`).
    static func normalised(
        _ problem: OpProblem,
        _ inputs: [RefTensor],
        layer: Bool,
        unbiased: Bool = false,
        inverse: @escaping (Double, Double) -> Double
    ) -> [Double] {
        let shape = inputs[0].shape
        let eps = problem.attrDouble("eps") ?? 0
        let weight = inputs[1].data
        let bias = layer ? inputs[2].data : nil
        return AxisSlices(shape: shape, axis: shape.count - 1).map(inputs[0].data) { row in
            let n = Double(row.count)
            let mean = layer ? row.reduce(0, +) / n : 0
            let spread = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (unbiased ? n - 1 : n)
            let r = inverse(spread, eps)
            return row.indices.map { (row[$0] - mean) * r * weight[$0] + (bias?[$0] ?? 0) }
        }
    }

    /// Attention with a custom visibility rule `visible(i, j, s, t)` on causal cases.
    static func attention(
        _ problem: OpProblem,
        _ inputs: [RefTensor],
        visible: @escaping (Int, Int, Int, Int) -> Bool
    ) -> [Double] {
        guard problem.attrBool("causal") else {
            return FaultClass.reference("scaled_dot_product_attention", problem, inputs)
        }
        let s = problem.int("s")
        let t = problem.params["t"]?.intValue ?? s
        return AttentionOp().weightedSums(problem, inputs: inputs, magnitudes: false) { i, j in visible(i, j, s, t) }
    }
}
