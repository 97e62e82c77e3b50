import AssayCore
import AssayOps
import Foundation

/// One case of the run, expanded from a suite entry, before it runs: the work it stands for.
/// Each kind of work carries exactly what it needs, so a case without a resolved problem, or a
/// system case with a dtype, cannot be built.
public enum PlannedCase: Sendable {
    /// An op of the catalogue, checked against its reference or timed.
    case op(OpCase)
    /// A named system check (a probe, or a device check through the backend).
    case system(SystemCheckCase)
    /// A collective over the ranks of a multi-rank target.
    case collective(CollectiveCase)
    /// A model graph run end to end against its float64 reference.
    case graph(GraphCase)

    public var id: CaseID {
        switch self {
        case .op(let work): return work.id
        case .system(let work): return work.id
        case .collective(let work): return work.id
        case .graph(let work): return work.id
        }
    }

    public var kind: CaseKind {
        switch self {
        case .op(let work): return work.purpose.kind
        case .system: return .system
        case .collective: return .collective
        case .graph(let work): return work.phase == nil ? .model : .performance
        }
    }

    /// The op case, when this is one.
    public var opCase: OpCase? {
        if case .op(let work) = self { return work }
        return nil
    }

    /// The sampling settings of a case that times something (op, collective or graph).
    public var performanceSettings: PerformanceSettings? {
        switch self {
        case .op(let work): return work.performance
        case .collective(let work): return work.performance
        case .graph(let work): return work.performance
        case .system: return nil
        }
    }

    /// Sampling settings of the cases that time something (`--time-cap` and `--rounds` adjust them).
    public mutating func adjustPerformance(_ change: (inout PerformanceSettings) -> Void) {
        switch self {
        case .op(var work):
            change(&work.performance)
            self = .op(work)
        case .collective(var work):
            change(&work.performance)
            self = .collective(work)
        case .graph(var work):
            change(&work.performance)
            self = .graph(work)
        case .system: break
        }
    }

    /// The result a case starts from, before it runs: what it is, outcome `pass`.
    public func startingResult(at started: Date) -> CaseResult {
        switch self {
        case .op(let work):
            return CaseResult(
                id: work.id,
                kind: work.purpose.kind,
                op: work.op.name,
                dtype: work.dtype.rawValue,
                params: work.params,
                attrs: work.attrs,
                values: work.purpose == .conformance ? work.values : nil,
                outcome: .pass,
                startedAt: started
            )
        case .system(let work):
            return CaseResult(
                id: work.id,
                kind: .system,
                op: SystemCheckCase.opName,
                dtype: "-",
                outcome: .pass,
                startedAt: started
            )
        case .collective(let work):
            return CaseResult(
                id: work.id,
                kind: .collective,
                op: work.op.rawValue,
                dtype: work.dtype.rawValue,
                params: work.params,
                attrs: work.attrs,
                outcome: .pass,
                startedAt: started
            )
        case .graph(let work):
            return CaseResult(
                id: work.id,
                kind: work.phase == nil ? .model : .performance,
                op: work.graph.id,
                dtype: work.dtype.rawValue,
                params: work.params,
                outcome: .pass,
                startedAt: started
            )
        }
    }
}

/// An op case: the operator, its dtype and the resolved problem, with its tolerance.
public struct OpCase: Sendable {
    /// What the case does with the op.
    public enum Purpose: Sendable, Equatable {
        case conformance, performance
        var kind: CaseKind { self == .conformance ? .conformance : .performance }
    }

    public var id: CaseID
    public var purpose: Purpose
    public var seed: UInt64
    public var op: any Operator
    public var dtype: DType
    public var params: AttrMap
    public var attrs: AttrMap
    public var values: InputValues
    public var problem: OpProblem
    public var tolerance: TolerancePolicy
    public var performance: PerformanceSettings
}

/// A system check case (`check:` in a suite).
public struct SystemCheckCase: Sendable {
    /// The op segment of a system case's id and result.
    public static let opName = "check"
    public var id: CaseID
    /// The check's name (`cpu_governor`, `host_device_bandwidth`…).
    public var check: String
}

/// A collective case: the op in the case's dtype over `bytes` (the nccl-tests size), its root and placement.
public struct CollectiveCase: Sendable, Equatable {
    public var id: CaseID
    public var op: CollectiveOp
    public var dtype: DType
    public var bytes: Int
    public var inPlace: Bool
    public var root: Int
    /// `in_place` and `root` as they appear in the id (left out at their defaults).
    public var attrs: AttrMap
    public var performance: PerformanceSettings

    public var params: AttrMap { ["bytes": .int(bytes)] }
}

/// Expands suites into cases: op × dtypes × shapes × attrs × values, in file order.
public enum SuiteExpander {
    /// `graphs` locates the graph files of model cases (nil: a suite with model cases is refused).
    public static func expand(
        _ suite: Suite,
        catalogue: OpCatalogue,
        graphs: GraphLocating? = nil
    ) throws -> [PlannedCase] {
        var cases: [PlannedCase] = []
        for entry in suite.entries {
            if entry.kind == .model {
                var performance = suite.performance
                if let mode = entry.mode { performance.mode = mode }
                if let cap = entry.timeCapSeconds { performance.timeCapSeconds = cap }
                cases += try modelCases(
                    entry,
                    suite: suite,
                    catalogue: catalogue,
                    performance: performance,
                    graphs: graphs
                ).map(PlannedCase.graph)
                continue
            }
            if let check = entry.check {
                let id = CaseID(suite: suite.id, op: SystemCheckCase.opName, shape: check, dtype: "any")
                cases.append(.system(SystemCheckCase(id: id, check: check)))
                continue
            }
            guard let op = entry.op else { continue }
            var performance = suite.performance
            if let mode = entry.mode { performance.mode = mode }
            if let cap = entry.timeCapSeconds { performance.timeCapSeconds = cap }
            if entry.kind == .collective, let collective = CollectiveOp(rawValue: op) {
                cases += collectiveCases(entry, op: collective, suite: suite, performance: performance).map(
                    PlannedCase.collective
                )
                continue
            }
            let purpose: OpCase.Purpose = entry.kind == .performance ? .performance : .conformance
            for dtype in entry.dtypes {
                for params in entry.shapes {
                    for attrs in entry.attrs {
                        let values: [InputValues] = purpose == .performance ? [.random] : entry.values
                        for value in values {
                            let problem = try catalogue.problem(op: op, params: params, attrs: attrs, dtype: dtype)
                            var idAttrs = attrs
                            if value != .random { idAttrs["values"] = .string(value.rawValue) }
                            if purpose == .performance, entry.mode != nil || performance.mode != .warm {
                                idAttrs["mode"] = .string(performance.mode.rawValue)
                            }
                            let id = CaseID(
                                suite: suite.id,
                                op: op,
                                shape: catalogue.shapeSegment(op: op, params: params),
                                dtype: dtype.rawValue,
                                attrs: CaseID.attrsSegment(idAttrs)
                            )
                            let operation = try catalogue.op(named: op)
                            let tolerance = TolerancePolicy.forProblem(
                                problem,
                                model: operation.errorModel(for: dtype),
                                rtol: entry.rtol,
                                atol: entry.atol,
                                reason: entry.toleranceReason
                            )
                            cases.append(
                                .op(
                                    OpCase(
                                        id: id,
                                        purpose: purpose,
                                        seed: suite.seed,
                                        op: operation,
                                        dtype: dtype,
                                        params: params,
                                        attrs: attrs,
                                        values: value,
                                        problem: problem,
                                        tolerance: tolerance,
                                        performance: performance
                                    )
                                )
                            )
                        }
                    }
                }
            }
        }
        return try unique(cases, suite: suite)
    }

    /// A collective entry's cases: dtypes × sizes, ids `suite/all_reduce/1048576B/f32[/in_place=true,root=1]`.
    static func collectiveCases(
        _ entry: SuiteEntry,
        op: CollectiveOp,
        suite: Suite,
        performance: PerformanceSettings
    ) -> [CollectiveCase] {
        var attrs: AttrMap = [:]
        if entry.inPlace == true { attrs["in_place"] = .bool(true) }
        if let root = entry.root, root != 0 { attrs["root"] = .int(root) }
        return entry.dtypes.flatMap { dtype in
            (entry.sizes ?? []).map { bytes in
                CollectiveCase(
                    id: CaseID(
                        suite: suite.id,
                        op: op.rawValue,
                        shape: "\(bytes)B",
                        dtype: dtype.rawValue,
                        attrs: CaseID.attrsSegment(attrs)
                    ),
                    op: op,
                    dtype: dtype,
                    bytes: bytes,
                    inPlace: entry.inPlace ?? false,
                    root: entry.root ?? 0,
                    attrs: attrs,
                    performance: performance
                )
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
