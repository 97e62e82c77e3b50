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
    /// measured it; other ids are skipped.
    /// When `requireFingerprint` is given, refuses (InputError) unless this machine with the
    /// started backend has that environment fingerprint: samples from another machine must
    /// not be mixed into a run's.
    public func remeasure(
        _ ids: [CaseID],
        requireFingerprint: String? = nil,
        makeBackend: (TargetDescriptor, URL) throws -> Backend
    ) throws -> [CaseID: PerformanceRecord] {
        let target = try TargetDescriptor.parse(text: record.target.text, file: record.target.path)
        var planned: [CaseID: OpCase] = [:]
        for snapshot in record.suites {
            var suite = try Suite.parse(text: snapshot.text, file: snapshot.path, validator: catalogue)
            suite.entries.removeAll { $0.kind == .model }  // only op cases are re-measured
            for case .op(let work) in try SuiteExpander.expand(suite, catalogue: catalogue)
            where work.purpose == .performance {
                planned[work.id] = work
            }
        }
        let wanted = ids.compactMap { planned[$0] }
        guard !wanted.isEmpty else { return [:] }
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
            measured[plannedCase.id] ?? plannedCase.performance.effectiveRounds
        }
        var records: [CaseID: PerformanceRecord] = [:]
        for round in 1...(rounds.max() ?? 1) {
            for (index, plannedCase) in wanted.enumerated() where rounds[index] >= round {
                var settings = plannedCase.performance
                settings.rounds = rounds[index]
                let next = try SampledPerformanceRunner.sample(
                    backend: backend,
                    identity: identity,
                    problem: plannedCase.problem,
                    settings: settings,
                    seed: plannedCase.seed
                )
                records[plannedCase.id] = records[plannedCase.id].map { $0.appendingRound(next) } ?? next
            }
        }
        return records
    }
}
