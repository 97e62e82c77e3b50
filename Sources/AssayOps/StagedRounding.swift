import AssayCore

/// The error a framework adds by rounding intermediates of an op to the case dtype T (f16, bf16)
/// where the accumulation model assumes f32: the bounds of docs/OPS.md, "Intermediates rounded to T".
/// Each rounding of a value z to T errs by at most u_T·|z| + ½·s_T (s_T the subnormal spacing).
public struct StagedRounding: Sendable {
    public let dtype: DType
    /// Unit roundoff and half the subnormal spacing of T.
    public let u: Double
    public let halfSubnormal: Double

    /// Staging only matters where T is narrower than the accumulation dtype; nil otherwise.
    public init?(_ dtype: DType) {
        guard dtype.isFloatingPoint, ErrorModel.accumulationDType(for: dtype) != dtype else { return nil }
        self.dtype = dtype
        u = dtype.unitRoundoff
        halfSubnormal = 0.5 * dtype.minSubnormal
    }

    /// Bound on one rounding of a value of magnitude |z| to T.
    public func rounding(_ z: Double) -> Double { u * abs(z) + halfSubnormal }

    /// Bound on a sum of independent rounding errors bounded by `terms`: the worst case Σ, or the
    /// probabilistic λ·√(Σ z²) (Higham and Mary, 2019) when smaller, with the model's λ.
    public static func independent(_ terms: [Double]) -> Double {
        var sum = 0.0
        var squares = 0.0
        for z in terms {
            sum += z
            squares += z * z
        }
        return Swift.min(sum, ErrorModel.lambda * squares.squareRoot())
    }

    /// linear and conv2d with bias: the product part y rounded to T before the bias is added,
    /// ½ ulp of T at |y| plus its accumulation error (y = ref − b, Σ|terms| of y = M − |b|).
    public func biasStaging(
        expected: [Double],
        magnitudes: [Double],
        bias: [Double],
        reductionLength: Int,
        channel: (Int) -> Int
    ) -> [Double] {
        let acc = ErrorModel.accumulationDType(for: dtype).unitRoundoff
        let root = Double(Swift.max(1, reductionLength)).squareRoot()
        return expected.indices.map { index in
            let b = bias[channel(index)]
            let product = abs(expected[index] - b)
            let terms = Swift.max(0, magnitudes[index] - abs(b))
            let reach = Swift.min(product + ErrorModel.lambda * acc * root * terms, dtype.maxFinite)
            return 0.5 * dtype.ulp(at: reach)
        }
    }
}
