import AssayCore

/// Allowed error per element: `atol + rtol·|ref|` (docs/OPS.md, "Tolerance").
public struct TolerancePolicy: Sendable, Equatable {
    public var rtol: Double
    public var atol: Double

    public init(rtol: Double, atol: Double) { self.rtol = rtol; self.atol = atol }

    /// The default for a dtype and reduction length; integers compare exactly.
    public static func standard(for dtype: DType, reductionLength: Int) -> TolerancePolicy {
        let scale = Double(Swift.max(1, reductionLength)).squareRoot()
        switch dtype {
        case .f64: return TolerancePolicy(rtol: 1e-12, atol: 1e-12 * scale)
        case .f32: return TolerancePolicy(rtol: 1.3e-6, atol: 1e-5 * scale)
        case .f16: return TolerancePolicy(rtol: 1e-3, atol: 1e-3 * scale)
        case .bf16: return TolerancePolicy(rtol: 1.6e-2, atol: 1e-2 * scale)
        case .int8, .int32, .bool: return TolerancePolicy(rtol: 0, atol: 0)
        }
    }

    /// The standard policy for a problem, with a suite's overrides applied.
    public static func forProblem(_ problem: OpProblem, rtol: Double? = nil, atol: Double? = nil) -> TolerancePolicy {
        var policy = standard(for: problem.output.dtype == .int32 ? .int32 : problem.dtype, reductionLength: problem.reductionLength)
        if let rtol { policy.rtol = rtol }
        if let atol { policy.atol = atol }
        return policy
    }

    /// Whether `actual` is acceptable for `expected` (the f64 reference) in `dtype`:
    /// NaN must stay NaN; a reference that rounds to ±inf in `dtype` must come back as that inf;
    /// otherwise the value must be finite and within tolerance.
    public func accepts(actual: Double, expected: Double, dtype: DType) -> Bool {
        if expected.isNaN { return actual.isNaN }
        let rounded = dtype.round(expected)
        if rounded.isInfinite { return actual == rounded }
        guard actual.isFinite else { return false }
        return abs(actual - expected) <= atol + rtol * abs(expected)
    }
}
