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
        var seen = Set<CaseID>()
        for planned in cases where !seen.insert(planned.id).inserted {
            throw InputError(file: suite.id, message: "case \(planned.id) appears twice; case ids must be unique")
        }
        return cases
    }
}
