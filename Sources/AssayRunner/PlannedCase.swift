import AssayCore
import AssayOps

/// One case of the run, expanded from a suite entry, before it runs.
public struct PlannedCase: Sendable {
    public var id: CaseID
    public var kind: CaseKind
    public var suiteID: String
    public var seed: UInt64
    public var op: String
    public var dtype: DType?
    public var params: AttrMap
    public var attrs: AttrMap
    public var values: InputValues
    /// The resolved problem (op cases).
    public var problem: OpProblem?
    public var tolerance: TolerancePolicy?
    public var performance: PerformanceSettings
    /// The system check name (system cases).
    public var check: String?
    /// The collective, its size, root and placement (collective cases).
    public var collective: PlannedCollective? = nil
}

/// What a collective case runs: the op in the case's dtype over `bytes` (the nccl-tests size).
public struct PlannedCollective: Sendable, Equatable {
    public var op: CollectiveOp
    public var bytes: Int
    public var inPlace: Bool
    public var root: Int
}

/// Expands suites into cases: op × dtypes × shapes × attrs × values, in file order.
public enum SuiteExpander {
    public static func expand(_ suite: Suite, catalogue: OpCatalogue) throws -> [PlannedCase] {
        var cases: [PlannedCase] = []
        for entry in suite.entries {
            if let check = entry.check {
                cases.append(PlannedCase(id: CaseID(suite: suite.id, op: "check", shape: check, dtype: "any"), kind: .system,
                                         suiteID: suite.id, seed: suite.seed, op: "check", dtype: nil, params: [:], attrs: [:],
                                         values: .random, problem: nil, tolerance: nil, performance: suite.performance, check: check))
                continue
            }
            guard let op = entry.op else { continue }
            var performance = suite.performance
            if let mode = entry.mode { performance.mode = mode }
            if let cap = entry.timeCapSeconds { performance.timeCapSeconds = cap }
            if entry.kind == .collective, let collective = CollectiveOp(rawValue: op) {
                cases += collectiveCases(entry, op: collective, suite: suite, performance: performance)
                continue
            }
            for dtype in entry.dtypes {
                for params in entry.shapes {
                    for attrs in entry.attrs {
                        let values: [InputValues] = entry.kind == .performance ? [.random] : entry.values
                        for value in values {
                            let problem = try catalogue.problem(op: op, params: params, attrs: attrs, dtype: dtype)
                            var idAttrs = attrs
                            if value != .random { idAttrs["values"] = .string(value.rawValue) }
                            if entry.kind == .performance, entry.mode != nil || performance.mode != .warm {
                                idAttrs["mode"] = .string(performance.mode.rawValue)
                            }
                            let id = CaseID(suite: suite.id, op: op, shape: catalogue.shapeSegment(op: op, params: params),
                                            dtype: dtype.rawValue, attrs: CaseID.attrsSegment(idAttrs))
                            cases.append(PlannedCase(id: id, kind: entry.kind, suiteID: suite.id, seed: suite.seed, op: op, dtype: dtype,
                                                     params: params, attrs: attrs, values: value, problem: problem,
                                                     tolerance: TolerancePolicy.forProblem(problem, model: try catalogue.op(named: op).errorModel(for: dtype),
                                                                                           rtol: entry.rtol, atol: entry.atol, reason: entry.toleranceReason),
                                                     performance: performance, check: nil))
                        }
                    }
                }
            }
        }
        return try unique(cases, suite: suite)
    }

    /// A collective entry's cases: dtypes × sizes, ids `suite/all_reduce/1048576B/f32[/in_place=true,root=1]`.
    static func collectiveCases(_ entry: SuiteEntry, op: CollectiveOp, suite: Suite, performance: PerformanceSettings) -> [PlannedCase] {
        var attrs: AttrMap = [:]
        if entry.inPlace == true { attrs["in_place"] = .bool(true) }
        if let root = entry.root, root != 0 { attrs["root"] = .int(root) }
        return entry.dtypes.flatMap { dtype in
            (entry.sizes ?? []).map { bytes in
                PlannedCase(id: CaseID(suite: suite.id, op: op.rawValue, shape: "\(bytes)B", dtype: dtype.rawValue, attrs: CaseID.attrsSegment(attrs)),
                            kind: .collective, suiteID: suite.id, seed: suite.seed, op: op.rawValue, dtype: dtype, params: ["bytes": .int(bytes)],
                            attrs: attrs, values: .random, problem: nil, tolerance: nil, performance: performance, check: nil,
                            collective: PlannedCollective(op: op, bytes: bytes, inPlace: entry.inPlace ?? false, root: entry.root ?? 0))
            }
        }
    }

    private static func unique(_ cases: [PlannedCase], suite: Suite) throws -> [PlannedCase] {
        var seen = Set<CaseID>()
        for planned in cases where !seen.insert(planned.id).inserted {
            throw InputError(file: suite.id, message: "case \(planned.id) appears twice; case ids must be unique")
        }
        return cases
    }
}
