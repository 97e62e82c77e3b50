import AssayCore

/// Typed, validated access to a suite entry's params and attrs while resolving a problem.
struct ProblemParams {
    /// The largest dim, param or integer attr a suite may give (2^31). Any two multiply without
    /// overflow, and a real case is far smaller; longer products are checked where they are formed.
    static let maximumMagnitude = 1 << 31

    let op: String
    let params: AttrMap
    let attrs: AttrMap

    func int(_ name: String, minimum: Int = 0) throws -> Int {
        guard let value = params[name] else { throw OpError(field: "shapes", "\(op) needs param '\(name)'") }
        guard let int = value.intValue else {
            throw OpError(field: "shapes", "\(op) param '\(name)' must be an integer, found \(value)")
        }
        guard int >= minimum else {
            throw OpError(field: "shapes", "\(op) param '\(name)' must be ≥ \(minimum), found \(int)")
        }
        guard int <= Self.maximumMagnitude else {
            throw OpError(field: "shapes", "\(op) param '\(name)' must be ≤ 2^31, found \(int)")
        }
        return int
    }

    func optionalInt(_ name: String, minimum: Int = 0) throws -> Int? {
        params[name] == nil ? nil : try int(name, minimum: minimum)
    }

    func shape(_ name: String) throws -> [Int] {
        guard let value = params[name] else {
            throw OpError(field: "shapes", "\(op) needs param '\(name)' (a list of dims)")
        }
        guard let dims = value.intsValue, dims.allSatisfy({ $0 >= 0 && $0 <= Self.maximumMagnitude }) else {
            throw OpError(field: "shapes", "\(op) param '\(name)' must be a list of dims in 0...2^31, found \(value)")
        }
        return dims
    }

    /// The attr `name` as `read` takes it, or an error saying what it must be.
    private func attr<Value>(_ name: String, _ read: (AttrValue) -> Value?, mustBe kind: String) throws -> Value {
        guard let value = attrs[name].flatMap(read) else {
            throw OpError(field: "attrs", "\(op) attr '\(name)' must be \(kind)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool { try attr(name, \.boolValue, mustBe: "true or false") }

    func ints(_ name: String, count: Int? = nil) throws -> [Int] {
        let value = try attr(name, \.intsValue, mustBe: "an integer or a list of integers")
        guard value.allSatisfy({ $0.magnitude <= Self.maximumMagnitude }) else {
            throw OpError(field: "attrs", "\(op) attr '\(name)' values must be within ±2^31")
        }
        if let count {
            if value.count == 1 { return Array(repeating: value[0], count: count) }
            guard value.count == count else {
                throw OpError(field: "attrs", "\(op) attr '\(name)' needs \(count) values, found \(value.count)")
            }
        }
        return value
    }

    func double(_ name: String) throws -> Double { try attr(name, \.doubleValue, mustBe: "a number") }
}

extension ProblemParams {
    /// The problem these params and attrs resolve to in `dtype`, with its inferred shapes and work model.
    func problem(
        dtype: DType,
        inputs: [TensorSpec],
        output: TensorSpec,
        flops: Double,
        reductionLength: Int,
        minimumBytes: Double? = nil
    ) -> OpProblem {
        OpProblem(
            op: op,
            dtype: dtype,
            params: params,
            attrs: attrs,
            inputs: inputs,
            output: output,
            flops: flops,
            reductionLength: reductionLength,
            minimumBytes: minimumBytes
        )
    }

    /// A one-input op that moves values without arithmetic (layout, reshape, slice, repeat, cast):
    /// input `x`, output `out` (in `outputDType`, else the op's dtype), no FLOPs.
    func movement(
        dtype: DType,
        input: Shape,
        output: Shape,
        outputDType: DType? = nil,
        minimumBytes: Double? = nil
    ) -> OpProblem {
        problem(
            dtype: dtype,
            inputs: [TensorSpec(name: "x", dtype: dtype, shape: input)],
            output: TensorSpec(name: "out", dtype: outputDType ?? dtype, shape: output),
            flops: 0,
            reductionLength: 1,
            minimumBytes: minimumBytes
        )
    }
}
