import AssayCore
import Foundation

/// Where each target of a fleet stands: its job, its run's progress (cases journaled of those
/// planned) and its outcome counts. Reads only; safe while jobs are writing.
public struct FleetInspector {
    public let fleet: FleetDirectory
    public let executor: FleetExecutor

    public init(fleet: FleetDirectory, executor: FleetExecutor) {
        self.fleet = fleet
        self.executor = executor
    }

    public struct TargetStatus: Codable, Sendable, Equatable {
        public var targetID: String
        public var jobID: String?
        /// The executor's word for the job; nil when it no longer knows the job.
        public var jobState: JobState?
        /// The last job's exit status, as it recorded it.
        public var exitStatus: Int32?
        public var runDirectory: String?
        public var runStatus: RunRecord.Status?
        public var done: Int
        public var planned: Int
        /// Cases per outcome (`pass`, `fail`…), only outcomes that occur.
        public var counts: [String: Int]

        /// Cases whose outcome does not let a run pass (fail, error, crash, timeout).
        public var failed: Int {
            counts.filter { Outcome(rawValue: $0.key)?.isAcceptable == false }.values.reduce(0, +)
        }
        public var passed: Int { counts[Outcome.pass.rawValue] ?? 0 }
    }

    public func statuses(_ manifest: FleetManifest) -> [TargetStatus] {
        let jobs = manifest.targets.compactMap { $0.attempts.last?.jobID }
        let states = executor.states(of: jobs)
        return manifest.targets.map { target in
            let job = target.attempts.last?.jobID
            var status = TargetStatus(
                targetID: target.id,
                jobID: job,
                jobState: job.flatMap { states[$0] },
                exitStatus: fleet.exitStatus(for: target.id),
                runDirectory: nil,
                runStatus: nil,
                done: 0,
                planned: 0,
                counts: [:]
            )
            guard let directory = fleet.runDirectory(for: target.id) else { return status }
            status.runDirectory = directory.path
            guard let record = try? RunRecord.load(contentsOf: directory.appendingPathComponent("run.json")) else {
                return status
            }
            status.runStatus = record.status
            status.planned = record.plannedCases.count
            let results = Self.results(record: record, journal: directory.appendingPathComponent("journal.jsonl"))
            status.done = results.count
            for result in results { status.counts[result.outcome.rawValue, default: 0] += 1 }
            return status
        }
    }

    /// The run's results: the record's once it is complete, else the journal's (newer while it
    /// runs), one per case id, a torn last line left out.
    static func results(record: RunRecord, journal: URL) -> [CaseResult] {
        guard record.status != .complete, let data = FileManager.default.contents(atPath: journal.path) else {
            return record.cases
        }
        let decoder = RecordCoding.decoder()
        var byID: [CaseID: CaseResult] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let result = try? decoder.decode(CaseResult.self, from: Data(line)) { byID[result.id] = result }
        }
        let planned = Set(record.plannedCases)
        return byID.values.filter { planned.isEmpty || planned.contains($0.id) }.sorted { $0.id < $1.id }
    }
}
