import AssayCore

/// An op with concrete params, attrs and dtype: every shape known, plus its work model.
public struct OpProblem: Sendable, Equatable {
    public var op: String
    public var dtype: DType
    public var params: AttrMap
    /// Attributes with every default filled in.
    public var attrs: AttrMap
    public var inputs: [TensorSpec]
    public var output: TensorSpec
    /// Floating-point (or integer) operations of one call; multiply-add counts 2.
    public var flops: Double
    /// Reduction length L that scales the absolute tolerance (1 for elementwise ops).
    public var reductionLength: Int
    /// Minimum bytes moved by one call: by default every input read once and the output written once.
    public var minimumBytes: Double

    public init(
        op: String,
        dtype: DType,
        params: AttrMap,
        attrs: AttrMap,
        inputs: [TensorSpec],
        output: TensorSpec,
        flops: Double,
        reductionLength: Int,
        minimumBytes: Double? = nil
    ) {
        self.op = op
        self.dtype = dtype
        self.params = params
        self.attrs = attrs
        self.inputs = inputs
        self.output = output
        self.flops = flops
        self.reductionLength = reductionLength
        // Summed in Double: an oversized problem must reach the memory budget check, not trap here.
        self.minimumBytes =
            minimumBytes
            ?? (inputs + [output]).reduce(0) { $0 + Double($1.shape.elementCount) * Double($1.dtype.byteWidth) }
    }

    /// FLOPs per byte of the minimum traffic.
    public var arithmeticIntensity: Double { minimumBytes == 0 ? 0 : flops / minimumBytes }

    public func int(_ name: String) -> Int { params[name]?.intValue ?? 0 }
    public func attrInts(_ name: String) -> [Int] { attrs[name]?.intsValue ?? [] }
    public func attrBool(_ name: String) -> Bool { attrs[name]?.boolValue ?? false }
    public func attrDouble(_ name: String) -> Double? { attrs[name]?.doubleValue }
    public func attrString(_ name: String) -> String? { attrs[name]?.stringValue }
}

/// Why a problem cannot be built: names the param or attr at fault.
public struct OpError: Error, CustomStringConvertible, Sendable {
    /// `shapes` or `attrs`, matching the suite entry key.
    public var field: String
    public var message: String
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { message }
}
