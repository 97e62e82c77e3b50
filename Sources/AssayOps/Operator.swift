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
}

extension Operator {
    public var optionalParams: Set<String> { [] }
    public var attrDefaults: AttrMap { [:] }
    public var acceptedAttrs: Set<String> { Set(attrDefaults.keys) }
    public var dtypes: [DType] { [.f64, .f32, .f16, .bf16] }
    public var specialValues: SpecialValueSet { .all }
}

/// A tensor of the reference world: float64 values with a shape.
public struct RefTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Double]
    public init(shape: [Int], data: [Double]) { self.shape = shape; self.data = data }
    public init(_ tensor: Tensor) { shape = tensor.shape.dims; data = tensor.values() }
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
