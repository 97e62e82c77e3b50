import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import AssayPlanning
import Foundation

/// Measures chosen performance cases of an existing run again, on the run's own target:
/// the gate's `--confirm` re-run. The target and suites are re-parsed from the texts the run
/// snapshotted, so the cases are exactly the ones that ran, with the same seeds and settings.
public struct CaseRemeasurer {
    public let record: RunRecord
    public let root: URL
    public let catalogue: OpCatalogue

    public init(record: RunRecord, root: URL, catalogue: OpCatalogue = .standard) {
        self.record = record
        self.root = root
        self.catalogue = catalogue
    }

    /// Samples each of `ids` that is a performance case of the run, in as many rounds as the run
    /// measured it; other ids are skipped. Model performance cases are re-measured from their graph
    /// files, which must be unchanged since the run.
    /// When `requireFingerprint` is given, refuses (InputError) unless this machine with the
    /// started backend has that environment fingerprint: samples from another machine must
    /// not be mixed into a run's.
    public func remeasure(
        _ ids: [CaseID],
        requireFingerprint: String? = nil,
        makeBackend: (TargetDescriptor, URL) throws -> Backend
    ) throws -> [CaseID: PerformanceRecord] {
        let target = try TargetDescriptor.parse(text: record.target.text, file: record.target.path)
        let suites = try record.suites.map {
            try Suite.parse(text: $0.text, file: $0.path, validator: catalogue)
        }
        var planned: [CaseID: PlannedCase] = [:]
        /// The performance cases of the suites' op entries, or of their model entries.
        func plan(models: Bool, graphs: GraphLocating?) throws {
            for var suite in suites {
                suite.entries.removeAll { ($0.kind == .model) != models }
                for plannedCase in try SuiteExpander.expand(suite, catalogue: catalogue, graphs: graphs) {
                    switch plannedCase {
                    case .op(let work) where work.purpose == .performance: planned[work.id] = plannedCase
                    case .graph(let work) where work.phase != nil: planned[work.id] = plannedCase
                    default: continue
                    }
                }
            }
        }
        try plan(models: false, graphs: nil)
        // Graph files are located only when a wanted id is not an op case, so a gate on op cases
        // never depends on the graphs being where they were.
        if !ids.allSatisfy({ planned[$0] != nil }) {
            try plan(models: true, graphs: RunSetup.graphs(RunSetup.locator(root: root)))
        }
        let wanted = ids.compactMap { planned[$0] }
        guard !wanted.isEmpty else { return [:] }
        try checkGraphsUnchanged(wanted)
        // The backend the run started (variables expanded, program fixed), as `--resume` does.
        var launched = target
        if let resolved = record.resolvedBackend { launched.backend = resolved }
        let backend = try makeBackend(launched, root)
        defer { backend.shutdown() }
        let identity = try backend.describe()
        if let requireFingerprint {
            let here = RunSetup.environment(backend: identity).fingerprint
            guard here == requireFingerprint else {
                throw InputError(
                    file: record.runID,
                    field: "environment.fingerprint",
                    message:
                        "cannot confirm here: this machine's fingerprint \(here) differs from the run's \(requireFingerprint)"
                )
            }
        }
        // The same round structure as the run: as many rounds as each case had, interleaved across the cases.
        let measured = Dictionary(
            record.cases.map { ($0.id, $0.performance?.rounds?.count ?? 1) },
            uniquingKeysWith: { _, last in last }
        )
        let rounds = wanted.map { plannedCase -> Int in
            measured[plannedCase.id] ?? plannedCase.performanceSettings?.effectiveRounds ?? 1
        }
        let executor = GraphExecution.executor(for: backend)
        var records: [CaseID: PerformanceRecord] = [:]
        for round in 1...(rounds.max() ?? 1) {
            for (index, plannedCase) in wanted.enumerated() where rounds[index] >= round {
                let next: PerformanceRecord
                switch plannedCase {
                case .op(var work):
                    work.performance.rounds = rounds[index]
                    next = try SampledPerformanceRunner.sample(
                        backend: backend,
                        identity: identity,
                        problem: work.problem,
                        settings: work.performance,
                        seed: work.seed
                    )
                case .graph(var work):
                    if ModelCaseRunner.unsupported(work.graph, by: executor, identity: identity) != nil { continue }
                    work.performance.rounds = rounds[index]
                    next = try ModelPerformanceRunner.sample(work, on: executor, identity: identity).0
                default:
                    continue
                }
                records[plannedCase.id] = records[plannedCase.id].map { $0.appendingRound(next) } ?? next
            }
        }
        return records
    }

    /// Model cases' graph files are read from disk again (run.json keeps only the suites' texts):
    /// a file that changed since the run is refused, as its samples would time another graph.
    private func checkGraphsUnchanged(_ wanted: [PlannedCase]) throws {
        let ran = Dictionary(
            record.cases.compactMap { result in result.modelPerformance?.graphSHA256.map { (result.id, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
        for case .graph(let work) in wanted {
            guard let digest = ran[work.id] else {
                throw InputError(
                    file: record.runID,
                    field: "cases[\(work.id)].modelPerformance.graphSHA256",
                    message: "cannot confirm \(work.id): the run did not record its graph file's digest"
                )
            }
            guard digest == work.graphSHA256 else {
                throw InputError(
                    file: work.graphURL?.path ?? work.graph.id,
                    field: "graph",
                    message:
                        "cannot confirm \(work.id): the graph file changed since the run (sha256 \(work.graphSHA256) now, \(digest) in the run)"
                )
            }
        }
    }

}
