import AssayBackend
import AssayCore
import AssayOps
import AssayPlanning
import Foundation

/// One `assay run`: plans the cases, runs each through the backend, journals every result
/// as it lands, and writes `run.json` at the end (or on interrupt). Resumable.
public final class RunSession {
    public let directory: URL
    /// Held for the session's life: no other process may write this run meanwhile.
    private let lock: RunLock
    /// A new run (or one that had failed to start) becomes `latest` once its record says running.
    private let becomesLatest: Bool
    private var record: RunRecord
    private let planned: [PlannedCase]
    /// The cases this invocation may run (`--case` on a resumed run); nil runs every missing case.
    private let selection: Set<CaseID>?
    private let dumpDirectory: URL?
    private let backend: Backend
    private let waivers: WaiverPolicy
    private let progress: ProgressReporter
    private let performanceRunner: PerformanceCaseRunner?
    private let systemRunner: SystemCaseRunner?

    init(
        directory: URL,
        lock: RunLock,
        becomesLatest: Bool,
        record: RunRecord,
        planned: [PlannedCase],
        selection: Set<CaseID>? = nil,
        dumpDirectory: URL? = nil,
        backend: Backend,
        waivers: WaiverPolicy,
        progress: ProgressReporter,
        performanceRunner: PerformanceCaseRunner?,
        systemRunner: SystemCaseRunner?
    ) {
        self.directory = directory
        self.lock = lock
        self.becomesLatest = becomesLatest
        self.record = record
        self.planned = planned
        self.backend = backend
        self.selection = selection
        self.dumpDirectory = dumpDirectory
        self.waivers = waivers
        self.progress = progress
        self.performanceRunner = performanceRunner
        self.systemRunner = systemRunner
    }

    /// A station's secret seed: when set, every journal line carries a MAC only that station can
    /// make, and reopening refuses lines without one (`RunJournal`).
    public var journalSecret: Data?

    public var runJSON: URL { directory.appendingPathComponent("run.json") }
    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }

    /// Runs every case not yet journaled; returns the final record.
    public func run() throws -> RunRecord {
        let (journal, done, events) = try RunJournal.open(
            at: journalURL,
            runID: record.runID,
            key: journalSecret.map { JournalKey(secret: $0, runID: record.runID) },
            recorded: record.journal,
            stoppedCleanly: record.status == .interrupted
        )
        record.journal = journal.state(events: (record.journal?.events ?? []) + events)
        let plannedIDs = Set(planned.map(\.id))
        var results: [CaseID: CaseResult] = [:]
        for result in done where plannedIDs.contains(result.id) { results[result.id] = result }
        record.status = .running
        record.plannedCases = planned.map(\.id)
        try writeRecord(results, journal: journal)
        if becomesLatest { try RunDirectory.markLatest(directory) }
        progress.begin(total: planned.count, alreadyDone: results.count)
        let executor = CaseExecutor(
            backend: backend,
            identity: record.backend,
            performanceRunner: performanceRunner,
            systemChecker: systemRunner,
            tensorDump: dumpDirectory.map(TensorDump.init),
            collectiveRunner: CollectiveCaseRunner(
                group: backend as? RankGroup,
                identity: record.backend,
                linkGBs: record.target.value.capabilities.linkGBs
            )
        )
        var interrupted = false
        for plannedCase in planned where results[plannedCase.id] == nil && selection?.contains(plannedCase.id) ?? true {
            if InterruptFlag.isSet {
                interrupted = true
                break
            }
            progress.caseStarted(plannedCase.id)
            var result = executor.run(plannedCase)
            // An interrupt cancels the case in flight: it is not recorded and runs again on --resume.
            if InterruptFlag.isSet {
                interrupted = true
                break
            }
            waivers.apply(to: &result)
            try journal.append(result)
            results[plannedCase.id] = result
            progress.caseFinished(result)
        }
        if !interrupted { interrupted = try runLaterRounds(executor: executor, journal: journal, results: &results) }
        progress.end()
        // The plugin and everything it started end with the run (on an interrupt, after a short grace).
        backend.shutdown()
        let plugins = (backend as? RankGroup)?.ranks ?? [backend as? PluginBackend].compactMap { $0 }
        for change in plugins.compactMap(\.identityFailure) {
            record.events = (record.events ?? []) + [RunEvent(stage: .backend, message: change)]
        }
        if InterruptFlag.isSet { interrupted = true }
        // Cases left out by --case keep the run resumable.
        if planned.contains(where: { results[$0.id] == nil }) { interrupted = true }
        record.status = interrupted ? .interrupted : .complete
        record.finishedAt = Date()
        try writeRecord(results, journal: journal)
        return record
    }

    /// Rounds 2…R: after every case has run once, each performance case that measured is
    /// sampled again, round by round across the cases, so a slow minute hits every case and
    /// not one. Each round is journaled, so a resumed run continues where it stopped.
    /// Returns true when interrupted.
    private func runLaterRounds(
        executor: CaseExecutor,
        journal: RunJournal,
        results: inout [CaseID: CaseResult]
    ) throws -> Bool {
        // Op and model performance cases take rounds alike.
        let performanceCases = planned.filter { $0.kind == .performance }
        let most = performanceCases.compactMap(\.performanceSettings?.effectiveRounds).max() ?? 1
        guard most > 1 else { return false }
        for round in 2...most {
            for plannedCase in performanceCases where plannedCase.performanceSettings?.effectiveRounds ?? 1 >= round {
                guard let result = results[plannedCase.id], result.outcome.isAcceptable,
                    let performance = result.performance, performance.n > 0, (performance.rounds?.count ?? 1) < round
                else { continue }
                if InterruptFlag.isSet { return true }
                var next = executor.nextRound(plannedCase, after: result)
                // As in the first round: an interrupt cancels the round in flight, which is not recorded.
                if InterruptFlag.isSet { return true }
                waivers.apply(to: &next)
                try journal.append(next)
                results[plannedCase.id] = next
            }
        }
        return InterruptFlag.isSet
    }

    private func writeRecord(_ results: [CaseID: CaseResult], journal: RunJournal) throws {
        record.cases = planned.compactMap { results[$0.id] }
        record.journal = journal.state(events: record.journal?.events ?? [])
        try AtomicFile.write(try RecordCoding.encoder().encode(record), to: runJSON)
    }
}
