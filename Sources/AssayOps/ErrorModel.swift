import AssayCore

/// How far a backend's result may lie from the float64 reference, per op (docs/OPS.md, "Error model").
public enum ErrorModel: Sendable, Equatable {
    /// Integer results: equal.
    case exact
    /// One rounding of an exact value: the result must be round-to-nearest-even of the float64
    /// reference in the output dtype, value for value (the sign of a zero is not judged).
    case correctlyRounded
    /// Elementwise transcendental functions: within this many ulps of the output dtype at the reference.
    case ulps(Double)
    /// Accumulating ops: λ·u·√L·M + k·u·|ref| + ½ ulp of the output dtype, with M the element's
    /// Σ|terms| from the reference, u the unit roundoff of the accumulation dtype, L the reduction
    /// length and k the op's further roundings (exp, rsqrt, division).
    case accumulation(extraRoundings: Double)

    /// The confidence multiplier λ of the probabilistic bound (Higham and Mary, 2019): a sum of L
    /// independent rounding errors exceeds λ·√L·u·Σ|terms| with probability below 2·exp(−λ²/2) ≈ 3e-8.
    public static let lambda = 6.0

    /// The dtype accumulations are expected in: f64 for f64, f32 for every narrower float
    /// (what BLAS, torch and numpy do; accumulating in f16 or bf16 is a bug class).
    public static func accumulationDType(for dtype: DType) -> DType { dtype == .f64 ? .f64 : .f32 }

    /// Whether the model needs the magnitudes M.
    public var needsMagnitudes: Bool { if case .accumulation = self { return true } else { return false } }

    /// The model in words, for records and reports.
    public func summary(dtype: DType, reductionLength: Int) -> String {
        switch self {
        case .exact: return "exact (\(dtype.rawValue))"
        case .correctlyRounded:
            return "correctly rounded in \(dtype.rawValue) (round-to-nearest-even of the f64 result)"
        case .ulps(let n): return "within \(DType.f64.shortest(n)) ulp of \(dtype.rawValue)"
        case .accumulation(let k):
            let acc = ErrorModel.accumulationDType(for: dtype)
            return
                "\(DType.f64.shortest(ErrorModel.lambda))·u·√L·Σ|terms| + \(DType.f64.shortest(k))·u·|ref| + ½ ulp of \(dtype.rawValue); u of \(acc.rawValue), L = \(reductionLength)"
        }
    }
}
