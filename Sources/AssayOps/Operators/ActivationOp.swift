import AssayCore
import Foundation

/// Elementwise activations: `gelu` (erf or tanh form), `silu`, `relu`, with the spec's limits at ±inf.
struct ActivationOp: Operator {
    enum Kind: String, Sendable { case gelu, silu, relu }
    let kind: Kind
    var name: String { kind.rawValue }
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { kind == .gelu ? ["approximate": .string("none")] : [:] }

    /// Conventional FLOPs per element (the work model is bandwidth-bound anyway).
    var flopsPerElement: Double {
        switch kind {
        case .gelu: return 8
        case .silu: return 4
        case .relu: return 1
        }
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        if kind == .gelu, !["none", "tanh"].contains(attrs["approximate"]?.stringValue ?? "") {
            throw OpError(field: "attrs", "gelu approximate must be 'none' or 'tanh'")
        }
        return p.problem(
            dtype: dtype,
            inputs: [TensorSpec(name: "x", dtype: dtype, shape: shape)],
            output: TensorSpec(name: "out", dtype: dtype, shape: shape),
            flops: flopsPerElement * Double(shape.elementCount),
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let tanhForm = problem.attrString("approximate") == "tanh"
        return RefTensor(shape: inputs[0].shape, data: inputs[0].data.map { apply($0, tanhForm: tanhForm) })
    }

    func apply(_ x: Double, tanhForm: Bool) -> Double {
        if x.isNaN { return x }
        switch kind {
        case .relu:
            return x > 0 ? x : 0
        case .silu:
            if x == -.infinity { return -0.0 }
            return x / (1 + exp(-x))
        case .gelu:
            if x == -.infinity { return -0.0 }
            if x == .infinity { return x }
            if tanhForm {
                return 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
            }
            return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        }
    }
}

extension ActivationOp {
    /// relu is one exact selection; gelu and silu get a stated number of ulps: narrow dtypes computed
    /// in f32 round once (1 ulp covers the rounding plus f32's own error); f32 allows libm's erf/exp and
    /// three roundings, amplified up to 2× by 1 + erf near x = −1; f64 allows a non-correctly-rounded
    /// erf (Cephes, ~1e-14 relative).
    func errorModel(for dtype: DType) -> ErrorModel {
        switch (kind, dtype) {
        case (.relu, _): return .correctlyRounded
        case (.gelu, .f64): return .ulps(64)
        case (.silu, .f64): return .ulps(8)
        case (.gelu, .f32): return .ulps(8)
        case (.silu, .f32): return .ulps(4)
        default: return .ulps(1)
        }
    }

    /// torch computes gelu and silu with their naive formulas, which give NaN where the limit is ±0
    /// or ±inf (−inf·0, inf/inf), and overflow to +inf in an intermediate at the largest finite value.
    func specialAlternatives(for dtype: DType) -> [SpecialAlternative] {
        switch kind {
        case .relu: return []
        case .silu:
            return [
                SpecialAlternative(
                    input: -.infinity,
                    limit: -0.0,
                    alternative: .nan,
                    note: "x·sigmoid(x) = −inf·0 (torch)"
                )
            ]
        case .gelu:
            return [
                SpecialAlternative(input: -.infinity, limit: -0.0, alternative: .nan, note: "x·Φ(x) = −inf·0 (torch)"),
                SpecialAlternative(
                    input: .infinity,
                    limit: .infinity,
                    alternative: .nan,
                    note: "inf·(1 + erf(inf)) evaluated through inf − inf (torch)"
                ),
                SpecialAlternative(
                    input: dtype.maxFinite,
                    limit: dtype.maxFinite,
                    alternative: .infinity,
                    note: "x·(1 + erf(x)) overflows before the halving (torch)"
                ),
            ]
        }
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let strides = Shape(problem.output.shape.dims).strides
        return FeedingText.values(
            [("x", inputs[0].data[zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }])],
            dtype: problem.dtype
        )
    }
}
