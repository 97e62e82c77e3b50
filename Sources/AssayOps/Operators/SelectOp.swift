import AssayCore

/// `where` (cond ? a : b) and `masked_fill` (mask ? value : x): elementwise choices by a bool
/// tensor that broadcasts into `shape` (numpy rules); the values are moved, never computed.
struct SelectOp: Operator {
    enum Kind: String, Sendable {
        case `where`
        case maskedFill = "masked_fill"
    }
    let kind: Kind
    var name: String { kind.rawValue }
    var paramNames: [String] { kind == .where ? ["shape", "cond"] : ["shape", "mask"] }
    var optionalParams: Set<String> { kind == .where ? ["cond"] : ["mask"] }
    var attrDefaults: AttrMap { kind == .where ? [:] : ["value": .double(0)] }
    var conditionName: String { kind == .where ? "cond" : "mask" }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = try p.shape("shape")
        let condition = params[conditionName] == nil ? shape : try p.shape(conditionName)
        guard Broadcast.shape(condition, shape) == shape else {
            throw OpError(field: "shapes", "\(name) \(conditionName) \(condition) does not broadcast to shape \(shape)")
        }
        let mask = TensorSpec(name: conditionName, dtype: .bool, shape: Shape(condition), role: .indices(upperBound: 2))
        let data = { (label: String) in TensorSpec(name: label, dtype: dtype, shape: Shape(shape)) }
        if kind == .maskedFill { _ = try p.double("value") }
        return p.problem(
            dtype: dtype,
            inputs: kind == .where ? [mask, data("a"), data("b")] : [data("x"), mask],
            output: TensorSpec(name: "out", dtype: dtype, shape: Shape(shape)),
            flops: 0,
            reductionLength: 1
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = problem.output.shape.dims
        let maskIndex = kind == .where ? 0 : 1
        let chosen = Broadcast.sourceIndices(of: inputs[maskIndex].shape, into: shape).enumerated().map {
            flat,
            source in
            let set = inputs[maskIndex].data[source] != 0
            switch kind {
            case .where: return set ? inputs[1].data[flat] : inputs[2].data[flat]
            case .maskedFill: return set ? problem.dtype.round(problem.attrDouble("value") ?? 0) : inputs[0].data[flat]
            }
        }
        return RefTensor(shape: shape, data: chosen)
    }
}

extension SelectOp {
    /// Values move without arithmetic (the fill value is stored in the case dtype): bit for bit.
    func errorModel(for dtype: DType) -> ErrorModel { .correctlyRounded }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let maskIndex = kind == .where ? 0 : 1
        let shape = problem.output.shape.dims
        let flat = zip(index, Shape(shape).strides).reduce(0) { $0 + $1.0 * $1.1 }
        let source = Broadcast.sourceIndices(of: inputs[maskIndex].shape, into: shape)[flat]
        return "\(conditionName) = \(inputs[maskIndex].data[source] != 0)"
    }
}
