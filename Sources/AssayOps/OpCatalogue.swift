import AssayCore

/// Every op Assay knows, by name; also validates suite entries against it.
public struct OpCatalogue: Sendable, SuiteEntryValidating {
    public let operators: [String: any Operator]

    public static let standard = OpCatalogue(operators: [
        MatmulOp(), Int8MatmulOp(), LinearOp(), Conv2dOp(), AttentionOp(),
        SoftmaxOp(logarithmic: false), SoftmaxOp(logarithmic: true), NormOp(.layer), NormOp(.rms),
        ActivationOp(kind: .gelu), ActivationOp(kind: .silu), ActivationOp(kind: .relu),
        BinaryOp(kind: .add), BinaryOp(kind: .mul), ReductionOp(kind: .sum), ReductionOp(kind: .mean),
        EmbeddingOp(), RotaryEmbeddingOp(), LayoutOp(kind: .transpose), LayoutOp(kind: .copy),
        // What model graphs need besides the above (issue 17).
        ReshapeOp(), ConcatOp(), SliceOp(), GatherOp(), RepeatInterleaveOp(), SelectionOp(kind: .argmax),
        SelectionOp(kind: .topk),
        SelectOp(kind: .where), SelectOp(kind: .maskedFill), CastOp(), BatchNormOp(),
    ])

    public init(operators: [any Operator]) {
        self.operators = Dictionary(uniqueKeysWithValues: operators.map { ($0.name, $0) })
    }

    public var names: [String] { operators.keys.sorted() }

    public func op(named name: String) throws -> any Operator {
        guard let op = operators[name] else {
            throw OpError(field: "op", "unknown op '\(name)' (known: \(names.joined(separator: ", ")))")
        }
        return op
    }

    /// Fills defaults and checks names; then resolves shapes.
    public func problem(op name: String, params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let op = try op(named: name)
        guard op.dtypes.contains(dtype) else {
            throw OpError(
                field: "dtypes",
                "\(name) is not defined for \(dtype.rawValue) (defined for: \(op.dtypes.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let known = Set(op.paramNames)
        if let unknown = params.keys.sorted().first(where: { !known.contains($0) }) {
            throw OpError(
                field: "shapes",
                "\(name) has no param '\(unknown)' (params: \(op.paramNames.joined(separator: ", ")))"
            )
        }
        if let unknown = attrs.keys.sorted().first(where: { !op.acceptedAttrs.contains($0) }) {
            let accepted = op.acceptedAttrs.sorted()
            throw OpError(
                field: "attrs",
                "\(name) has no attr '\(unknown)'"
                    + (accepted.isEmpty ? " (it takes none)" : " (attrs: \(accepted.joined(separator: ", ")))")
            )
        }
        return try op.resolve(params: params, attrs: op.attrDefaults.merging(attrs) { $1 }, dtype: dtype)
    }

    /// The case-id shape segment: params in catalogue order, `m512.n512.k512`, `shape4x1024`.
    public func shapeSegment(op name: String, params: AttrMap) -> String {
        let order = operators[name]?.paramNames ?? params.keys.sorted()
        return order.compactMap { key in params[key].map { "\(key)\($0)" } }.joined(separator: ".")
    }

    public func problems(in entry: SuiteEntry) -> [SuiteEntryProblem] { problems(in: entry, suiteBudget: nil) }

    /// Also refuses a case whose `harnessBytes` exceed `suiteBudget` (or overflow), at its shape.
    public func problems(in entry: SuiteEntry, suiteBudget: MemoryBudget?) -> [SuiteEntryProblem] {
        guard let name = entry.op else { return [] }
        guard operators[name] != nil else {
            return [
                SuiteEntryProblem(
                    field: "op",
                    message: "unknown op '\(name)' (known: \(names.joined(separator: ", ")))"
                )
            ]
        }
        for dtype in entry.dtypes {
            for (shapeIndex, params) in entry.shapes.enumerated() {
                for (attrIndex, attrs) in entry.attrs.enumerated() {
                    do {
                        let resolved = try problem(op: name, params: params, attrs: attrs, dtype: dtype)
                        if let budget = suiteBudget {
                            guard let bytes = resolved.harnessBytes else {
                                return [
                                    SuiteEntryProblem(
                                        field: "shapes",
                                        index: shapeIndex,
                                        message: "\(name) \(dtype.rawValue): the case's byte count overflows"
                                    )
                                ]
                            }
                            if bytes > budget.bytes {
                                return [
                                    SuiteEntryProblem(
                                        field: "shapes",
                                        index: shapeIndex,
                                        message:
                                            "\(name) \(dtype.rawValue) needs \(MemoryBudget.format(bytes)) (inputs, output and float64 reference), over the memory budget of \(budget)"
                                    )
                                ]
                            }
                        }
                    } catch let error as OpError {
                        let index =
                            error.field == "shapes"
                            ? shapeIndex : error.field == "attrs" ? attrIndex : entry.dtypes.firstIndex(of: dtype)
                        return [SuiteEntryProblem(field: error.field, index: index, message: error.message)]
                    } catch {
                        return [SuiteEntryProblem(field: "op", message: "\(error)")]
                    }
                }
            }
        }
        return []
    }
}
