import AssayBackend
import AssayCore
import AssayOps
import Foundation

/// Measures chosen performance cases of an existing run again, on the run's own target:
/// the gate's `--confirm` re-run. The target and suites are re-parsed from the texts the run
/// snapshotted, so the cases are exactly the ones that ran, with the same seeds and settings.
public struct CaseRemeasurer {
    public let record: RunRecord
    public let root: URL
    public let catalogue: OpCatalogue

    public init(record: RunRecord, root: URL, catalogue: OpCatalogue = .standard) {
        self.record = record; self.root = root; self.catalogue = catalogue
    }

    /// Samples each of `ids` that is a performance case of the run; other ids are skipped.
    /// When `requireFingerprint` is given, refuses (InputError) unless this machine with the
    /// started backend has that environment fingerprint: samples from another machine must
    /// not be mixed into a run's.
    public func remeasure(_ ids: [CaseID], requireFingerprint: String? = nil,
                          makeBackend: (TargetDescriptor, URL) throws -> Backend) throws -> [CaseID: PerformanceRecord] {
        let target = try TargetDescriptor.parse(text: record.target.text, file: record.target.path)
        var planned: [CaseID: PlannedCase] = [:]
        for snapshot in record.suites {
            let suite = try Suite.parse(text: snapshot.text, file: snapshot.path, validator: catalogue)
            for plannedCase in try SuiteExpander.expand(suite, catalogue: catalogue) where plannedCase.kind == .performance {
                planned[plannedCase.id] = plannedCase
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
                throw InputError(file: record.runID, field: "environment.fingerprint",
                                 message: "cannot confirm here: this machine's fingerprint \(here) differs from the run's \(requireFingerprint)")
            }
        }
        var records: [CaseID: PerformanceRecord] = [:]
        for plannedCase in wanted {
            guard let problem = plannedCase.problem else { continue }
            records[plannedCase.id] = try SampledPerformanceRunner.sample(backend: backend, identity: identity, problem: problem,
                                                                         settings: plannedCase.performance, seed: plannedCase.seed)
        }
        return records
    }
}
