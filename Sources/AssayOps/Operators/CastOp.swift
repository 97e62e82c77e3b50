import AssayCore

/// `cast`: values converted from the case dtype to the float dtype `to`, rounded to nearest even
/// (overflow to ±inf, NaN kept, underflow to subnormals or ±0).
struct CastOp: Operator {
    let name = "cast"
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["to": .string("f32")] }

    static func target(_ attrs: AttrMap) -> DType? {
        attrs["to"]?.stringValue.flatMap(DType.init(rawValue:)).flatMap { $0.isFloatingPoint ? $0 : nil }
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        guard let to = CastOp.target(attrs) else {
            throw OpError(
                field: "attrs",
                "cast to must be one of f64, f32, f16, bf16, found \(attrs["to"].map { "\($0)" } ?? "nothing")"
            )
        }
        return p.movement(
            dtype: dtype,
            input: shape,
            output: shape,
            outputDType: to
        )
    }

    /// The exact input value: the judge rounds it once into `to`.
    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor { inputs[0] }
}

extension CastOp {
    /// One rounding of an exact value into the target dtype.
    func errorModel(for dtype: DType) -> ErrorModel { .correctlyRounded }

    /// torch (2.x, CPU) converts f64 to f16 and bf16 through f32: a second rounding that differs
    /// from the correct one only where the f32 value lands on a tie. Accepted and recorded, like the
    /// frameworks' special-value alternatives; any other result still fails.
    func acceptedDeviation(_ element: DeviatingElement) -> String? {
        let (problem, expected, actual) = (element.problem, element.expected, element.actual)
        let to = problem.output.dtype
        guard problem.dtype == .f64, to == .f16 || to == .bf16, actual == to.round(DType.f32.round(expected)) else {
            return nil
        }
        return "f64 → \(to.rawValue) rounded twice, through f32 (torch's conversion), instead of once"
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let flat = zip(index, problem.output.shape.strides).reduce(0) { $0 + $1.0 * $1.1 }
        return FeedingText.values([("x", inputs[0].data[flat])], dtype: problem.dtype)
    }
}
