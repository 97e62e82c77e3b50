import AssayBackend
import AssayCore
import AssayOps
import Foundation

/// One `assay run`: plans the cases, runs each through the backend, journals every result
/// as it lands, and writes `run.json` at the end (or on interrupt). Resumable.
public final class RunSession {
    public let directory: URL
    private var record: RunRecord
    private let planned: [PlannedCase]
    /// The cases this invocation may run (`--case` on a resumed run); nil runs every missing case.
    private let selection: Set<CaseID>?
    private let dumpDirectory: URL?
    private let backend: Backend
    private let catalogue: OpCatalogue
    private let waivers: WaiverPolicy
    private let progress: ProgressReporter
    private let performanceRunner: PerformanceCaseRunner?
    private let systemRunner: SystemCaseRunner?

    init(directory: URL, record: RunRecord, planned: [PlannedCase], selection: Set<CaseID>? = nil, dumpDirectory: URL? = nil,
         backend: Backend, catalogue: OpCatalogue,
         waivers: WaiverPolicy, progress: ProgressReporter, performanceRunner: PerformanceCaseRunner?, systemRunner: SystemCaseRunner?) {
        self.directory = directory; self.record = record; self.planned = planned; self.backend = backend
        self.selection = selection; self.dumpDirectory = dumpDirectory
        self.catalogue = catalogue; self.waivers = waivers; self.progress = progress
        self.performanceRunner = performanceRunner; self.systemRunner = systemRunner
    }

    public var runJSON: URL { directory.appendingPathComponent("run.json") }
    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }

    /// Runs every case not yet journaled; returns the final record.
    public func run() throws -> RunRecord {
        let (journal, done) = try RunJournal.open(at: journalURL)
        let plannedIDs = Set(planned.map(\.id))
        var results: [CaseID: CaseResult] = [:]
        for result in done where plannedIDs.contains(result.id) { results[result.id] = result }
        record.status = .running
        record.plannedCases = planned.map(\.id)
        try writeRecord(results)
        progress.begin(total: planned.count, alreadyDone: results.count)
        let executor = CaseExecutor(backend: backend, identity: record.backend, catalogue: catalogue,
                                    performanceRunner: performanceRunner, systemChecker: systemRunner,
                                    tensorDump: dumpDirectory.map(TensorDump.init))
        var interrupted = false
        for plannedCase in planned where results[plannedCase.id] == nil && selection?.contains(plannedCase.id) ?? true {
            if InterruptFlag.isSet { interrupted = true; break }
            progress.caseStarted(plannedCase.id)
            var result = executor.run(plannedCase)
            waivers.apply(to: &result)
            try journal.append(result)
            results[plannedCase.id] = result
            progress.caseFinished(result)
        }
        progress.end()
        if InterruptFlag.isSet { interrupted = true }
        // Cases left out by --case keep the run resumable.
        if planned.contains(where: { results[$0.id] == nil }) { interrupted = true }
        record.status = interrupted ? .interrupted : .complete
        record.finishedAt = Date()
        try writeRecord(results)
        return record
    }

    private func writeRecord(_ results: [CaseID: CaseResult]) throws {
        record.cases = planned.compactMap { results[$0.id] }
        try AtomicFile.write(try RecordCoding.encoder().encode(record), to: runJSON)
    }
}
