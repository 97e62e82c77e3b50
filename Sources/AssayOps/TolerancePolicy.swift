import AssayCore

/// What a backend's element may be: the op's error model in the output dtype, or a suite's
/// `atol + rtol·|ref|` override with its reason (docs/OPS.md, "Error model").
public struct TolerancePolicy: Sendable, Equatable {
    /// The coarse `atol + rtol·|ref|` numbers: the suite's override, or, without one, the dtype
    /// defaults that checks without the reference's magnitudes (the plugin self-check) still use.
    public var rtol: Double
    public var atol: Double
    public var model: ErrorModel
    /// Output dtype whose grid the model is stated in.
    public var dtype: DType
    public var reductionLength: Int
    /// Set when a suite overrides the model with rtol/atol: the suite's reason.
    public var overrideReason: String?

    public init(
        rtol: Double,
        atol: Double,
        model: ErrorModel = .exact,
        dtype: DType = .f64,
        reductionLength: Int = 1,
        overrideReason: String? = nil
    ) {
        self.rtol = rtol
        self.atol = atol
        self.model = model
        self.dtype = dtype
        self.reductionLength = reductionLength
        self.overrideReason = overrideReason
    }

    /// The coarse default for a dtype and reduction length; integers compare exactly.
    public static func standard(for dtype: DType, reductionLength: Int) -> TolerancePolicy {
        let scale = Double(Swift.max(1, reductionLength)).squareRoot()
        let (rtol, atol): (Double, Double)
        switch dtype {
        case .f64: (rtol, atol) = (1e-12, 1e-12 * scale)
        case .f32: (rtol, atol) = (1.3e-6, 1e-5 * scale)
        case .f16: (rtol, atol) = (1e-3, 1e-3 * scale)
        case .bf16: (rtol, atol) = (1.6e-2, 1e-2 * scale)
        case .int8, .int32, .bool: (rtol, atol) = (0, 0)
        }
        return TolerancePolicy(
            rtol: rtol,
            atol: atol,
            model: dtype.isFloatingPoint ? .accumulation(extraRoundings: 2) : .exact,
            dtype: dtype,
            reductionLength: Swift.max(1, reductionLength)
        )
    }

    /// The op's model for a problem, or the suite's override when it gives rtol or atol.
    public static func forProblem(
        _ problem: OpProblem,
        model: ErrorModel? = nil,
        rtol: Double? = nil,
        atol: Double? = nil,
        reason: String? = nil
    ) -> TolerancePolicy {
        let outputDType = problem.output.dtype
        // The output's dtype: int32 for int8 matmul, the target of a cast.
        var policy = standard(for: outputDType, reductionLength: problem.reductionLength)
        policy.dtype = outputDType
        if let model { policy.model = outputDType.isFloatingPoint ? model : .exact }
        if rtol != nil || atol != nil {
            if let rtol { policy.rtol = rtol }
            if let atol { policy.atol = atol }
            policy.overrideReason = reason ?? "suite override"
        }
        return policy
    }

    /// The model in words, with the override when there is one.
    public var summary: String {
        if let overrideReason {
            return
                "suite override: atol \(DType.f64.shortest(atol)) + rtol \(DType.f64.shortest(rtol))·|ref| (\(overrideReason))"
        }
        return model.summary(dtype: dtype, reductionLength: reductionLength)
    }

    /// Judges one element against the f64 reference. NaN must stay NaN; a reference that rounds
    /// to ±inf in the dtype must come back as that inf; otherwise the value must be finite and within
    /// the allowance, which is returned (0 where only one value is right). `staged` is the op's
    /// bound for intermediates rounded to the case dtype (`Operator.stagedRounding`), added to the
    /// accumulation model's allowance; a non-finite one adds nothing.
    public func judge(
        actual: Double,
        expected: Double,
        magnitude: Double,
        staged: Double = 0
    ) -> (ok: Bool, allowance: Double) {
        if expected.isNaN { return (actual.isNaN, 0) }
        let rounded = dtype.round(expected)
        if rounded.isInfinite { return (actual == rounded, 0) }
        // Terms beyond the accumulation dtype's range may overflow its partial sums (inf − inf = NaN):
        // the model defines no result there (docs/OPS.md, "Clarifications").
        if overrideReason == nil, case .accumulation = model,
            magnitude > ErrorModel.accumulationDType(for: dtype).maxFinite
        {
            return (true, .infinity)
        }
        guard actual.isFinite else { return (false, 0) }
        let error = abs(actual - expected)
        if overrideReason != nil {
            let allowance = atol + rtol * abs(expected)
            return (error <= allowance, allowance)
        }
        switch model {
        case .exact:
            return (actual == expected, 0)
        case .correctlyRounded:
            return (actual == rounded, abs(rounded - expected))
        case .ulps(let n):
            let allowance = n * dtype.ulp(at: expected)
            return (error <= allowance, allowance)
        case .accumulation(let k):
            // An undefined M (0·inf) gives no slack beyond the final rounding.
            let magnitude = magnitude.isNaN ? 0 : magnitude
            let u = ErrorModel.accumulationDType(for: dtype).unitRoundoff
            // k further roundings may each also underflow: k·½ of the accumulation dtype's subnormal spacing.
            let acc = ErrorModel.accumulationDType(for: dtype)
            let accumulated =
                ErrorModel.lambda * u * Double(reductionLength).squareRoot() * magnitude + k * u * abs(expected)
                + k * 0.5 * acc.minSubnormal + (staged.isFinite ? staged : 0)
            let allowance = accumulated + 0.5 * dtype.ulp(at: Swift.min(abs(expected) + accumulated, dtype.maxFinite))
            return (error <= allowance, allowance)
        }
    }

    /// The coarse check used where the reference's magnitudes are not at hand (the plugin
    /// self-check): the same special-value rules, then `atol + rtol·|ref|`.
    public func accepts(actual: Double, expected: Double, dtype: DType) -> Bool {
        if expected.isNaN { return actual.isNaN }
        let rounded = dtype.round(expected)
        if rounded.isInfinite { return actual == rounded }
        guard actual.isFinite else { return false }
        return abs(actual - expected) <= atol + rtol * abs(expected)
    }
}
