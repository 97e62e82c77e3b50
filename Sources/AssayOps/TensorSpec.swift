import AssayCore

/// One input or output of a resolved problem.
public struct TensorSpec: Sendable, Equatable {
    /// What the values mean, which decides how they are generated.
    public enum Role: Sendable, Equatable {
        /// Ordinary data: uniform in [-1, 1) (int8: [-128, 127]); may receive special values.
        case data
        /// Integer indices uniform in [0, upperBound).
        case indices(upperBound: Int)
        /// Rotary tables: cos or sin of p·10000^(−2i/d) at row p, column i.
        case rotaryCos, rotarySin
        /// Parameters such as norm weights: data, but never special values.
        case parameter
        /// A non-negative parameter (batch_norm's running variance): |uniform[-1, 1)|, no special values.
        case variance
    }

    public var name: String
    public var dtype: DType
    public var shape: Shape
    public var role: Role

    public init(name: String, dtype: DType, shape: Shape, role: Role = .data) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.role = role
    }

    /// Bytes of the tensor; `Int.max` when that overflows (see `checkedByteCount`).
    public var byteCount: Int { checkedByteCount ?? Int.max }

    /// Bytes of the tensor, or nil when the count overflows `Int`.
    public var checkedByteCount: Int? {
        guard let elements = shape.checkedElementCount else { return nil }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteWidth)
        return overflow ? nil : bytes
    }
}
