import AssayCore

/// One op of the catalogue (docs/OPS.md): its parameters and attributes, shape rules,
/// work model, and float64 reference.
public protocol Operator: Sendable {
    var name: String { get }
    /// Problem parameters in case-id order.
    var paramNames: [String] { get }
    /// Parameters that may be left out.
    var optionalParams: Set<String> { get }
    /// Attributes with their defaults.
    var attrDefaults: AttrMap { get }
    /// Every attribute the op accepts (those with defaults, plus optional ones like `scale`).
    var acceptedAttrs: Set<String> { get }
    /// Dtypes the op is defined for.
    var dtypes: [DType] { get }
    /// Which special values its `special` inputs may hold.
    var specialValues: SpecialValueSet { get }

    /// Validates params and attrs (defaults already filled) and infers every shape.
    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem
    /// The float64 reference on exactly the given inputs.
    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor

    /// How far a result may lie from the reference in `dtype` (docs/OPS.md, "Error model").
    func errorModel(for dtype: DType) -> ErrorModel
    /// Per output element, the magnitude M the accumulation model scales with: Σ|terms| of its sums.
    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double]
    /// Per output element, the further error of a framework that rounds the op's intermediates to
    /// the case dtype (f16/bf16), from a forward error analysis of its staged computation; nil when
    /// the op has no such stage. Called through `stagedRounding(_:inputs:expected:magnitudes:)`,
    /// only for a dtype narrower than the accumulation dtype.
    func stagedRounding(_ input: StagingInput) -> [Double]?
    /// Results frameworks give at special inputs instead of the catalogue's limits, accepted and recorded.
    func specialAlternatives(for dtype: DType) -> [SpecialAlternative]
    /// Where one element's accepted alternative depends on more than its own input (a whole row):
    /// the note recorded when the element's actual value is accepted, nil when it is not.
    func acceptedDeviation(_ element: DeviatingElement) -> String?
    /// The input values that feed one output element, in words (nil when the op has no short answer).
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String?
}

extension Operator {
    public var optionalParams: Set<String> { [] }
    public var attrDefaults: AttrMap { [:] }
    public var acceptedAttrs: Set<String> { Set(attrDefaults.keys) }
    public var dtypes: [DType] { [.f64, .f32, .f16, .bf16] }
    public var specialValues: SpecialValueSet { .all }
    public func errorModel(for dtype: DType) -> ErrorModel { .accumulation(extraRoundings: 2) }
    /// Σ|terms| of a sum of products is the reference on the inputs' absolute values.
    public func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        reference(
            problem,
            inputs: zip(problem.inputs, inputs).map { spec, tensor in
                if case .indices = spec.role { return tensor }
                return RefTensor(shape: tensor.shape, data: tensor.data.map(abs))
            }
        ).data
    }
    public func stagedRounding(_ input: StagingInput) -> [Double]? { nil }
    /// The staging bound of one case; nil when its dtype is not narrower than the accumulation
    /// dtype or the op has no stage.
    public func stagedRounding(
        _ problem: OpProblem,
        inputs: [RefTensor],
        expected: [Double],
        magnitudes: [Double]
    ) -> [Double]? {
        guard let staging = StagedRounding(problem.dtype) else { return nil }
        return stagedRounding(
            StagingInput(problem: problem, inputs: inputs, expected: expected, magnitudes: magnitudes, staging: staging)
        )
    }
    public func specialAlternatives(for dtype: DType) -> [SpecialAlternative] { [] }
    public func acceptedDeviation(_ element: DeviatingElement) -> String? { nil }
    /// The note recorded when `actual` is accepted at `flat` (see `acceptedDeviation(_:)`).
    public func acceptedDeviation(
        _ problem: OpProblem,
        inputs: [RefTensor],
        at flat: Int,
        expected: Double,
        actual: Double
    ) -> String? {
        acceptedDeviation(
            DeviatingElement(problem: problem, inputs: inputs, flat: flat, expected: expected, actual: actual)
        )
    }
    public func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? { nil }
}

/// A result a framework gives at one special input instead of the catalogue's limit.
public struct SpecialAlternative: Sendable, Equatable {
    public var input: Double
    /// The catalogue's value and the accepted alternative (NaN compares by NaN-ness).
    public var limit: Double
    public var alternative: Double
    /// Who produces it and why ("torch: x·sigmoid(x) gives −inf·0").
    public var note: String
    public init(input: Double, limit: Double, alternative: Double, note: String) {
        self.input = input
        self.limit = limit
        self.alternative = alternative
        self.note = note
    }
}

/// A tensor of the reference world: float64 values with a shape.
public struct RefTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Double]
    public init(shape: [Int], data: [Double]) {
        self.shape = shape
        self.data = data
    }
    public init(_ tensor: Tensor) {
        shape = tensor.shape.dims
        data = tensor.values()
    }
}

/// Which special values an op's `special` inputs may carry.
public enum SpecialValueSet: Sendable {
    /// ±0, ±inf, NaN, subnormals, ±max finite, ±1.
    case all
    /// All but ±max finite (for accumulating ops, where f32 accumulation may overflow while f64 does not).
    case withoutNearMax
    /// No special values (integer ops, index inputs).
    case none
}
