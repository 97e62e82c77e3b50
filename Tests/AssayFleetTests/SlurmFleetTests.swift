import AssayCore
import AssayFleet
import AssayTestSupport
import Foundation
import Testing

/// `assay fleet` against a real single-node Slurm (Scripts/slurm-test-cluster.sh).
@Suite(.serialized, .enabled(if: SlurmTestCluster.isAvailable, SlurmTestCluster.skipReason))
struct SlurmFleetTests {
    /// A descriptor whose system checks cannot pass on any machine: no such OS, far too little memory.
    static let failingSystem = """
        expect:
          os_id: [plan9]
          min_memory_gib: 1000000
        """

    @Test(
        "a fleet of local-cpu, numpy-cpu and a failing descriptor finishes, shows its status and collects the right counts"
    )
    func threeTargetFleet() throws {
        try withCluster { cluster, fixture in
            let failing = try fixture.cpuDescriptor(id: "failing-system", extra: Self.failingSystem)
            // Submitted from the repository (numpy-cpu's script is found relative to it), reports into the scratch folder.
            let submitted = try cluster.run(
                [
                    fixture.assay.path, "fleet", "submit", "--executor", "slurm", "--target", "local-cpu",
                    "--target", "numpy-cpu", "--target", failing.path, "--suite", "smoke", "--suite", "system",
                    "--time-cap", "1", "--out", fixture.folder.appendingPathComponent("Reports").path,
                ],
                in: Repository.root
            )
            #expect(submitted.status == 0, "\(submitted.output)")
            let fleet = try fixture.fleetFolder()
            let manifest = try fixture.manifest(fleet)
            #expect(manifest.targets.map(\.id) == ["local-cpu", "numpy-cpu", "failing-system"])
            // One job array: the three have the same (empty) slurm: block, so the same array id.
            let jobs = manifest.targets.compactMap(\.attempts.last?.jobID)
            #expect(jobs.count == 3 && Set(jobs.map { $0.split(separator: "_")[0] }).count == 1, "\(jobs)")

            try fixture.wait("every job to finish", seconds: 600) {
                let queue = try cluster.run(["squeue", "-h", "-o", "%i"])
                return queue.status == 0 && queue.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            let status = try cluster.run([fixture.assay.path, "fleet", "status", fleet.path], in: fixture.folder)
            #expect(status.status == 0, "\(status.output)")
            for job in jobs { #expect(status.output.contains(job), "\(status.output)") }
            let statuses = try RecordCoding.decoder().decode(
                [FleetInspector.TargetStatus].self,
                from: Data(
                    try cluster.run([fixture.assay.path, "fleet", "status", "--json", fleet.path], in: fixture.folder)
                        .output.utf8
                )
            )

            let collected = try cluster.run([fixture.assay.path, "fleet", "collect", fleet.path], in: fixture.folder)
            #expect(collected.status == 1, "a failing target makes collect exit 1: \(collected.output)")
            let summary = try fixture.summary(fleet)
            #expect(summary.rows.count == 3)
            for row in summary.rows {
                // The counts are the run record's, case by case.
                let record = try fixture.record(try #require(row.runDirectory))
                #expect(record.status == .complete)
                #expect(
                    row.done == record.cases.count && row.planned == record.plannedCases.count
                        && row.done == row.planned
                )
                #expect(row.passed == record.cases.filter { $0.outcome == .pass }.count)
                #expect(row.failed == record.cases.filter { !$0.outcome.isAcceptable }.count)
                #expect(
                    row.report.map { FileManager.default.fileExists(atPath: fleet.appendingPathComponent($0).path) }
                        == true
                )
            }
            let failingRow = try #require(summary.rows.first { $0.targetID == "failing-system" })
            let failingRecord = try fixture.record(try #require(failingRow.runDirectory))
            #expect(
                Set(failingRecord.cases.filter { !$0.outcome.isAcceptable }.map(\.id.shape)) == ["os_id", "memory"]
            )
            #expect(failingRow.failed == 2)
            #expect(summary.rows.first { $0.targetID == "local-cpu" }.map { $0.failed == 0 && $0.passed > 0 } == true)
            // Slurm's word for each job follows its run: a failed case makes `assay run`, and so the job, exit 1.
            for (status, row) in zip(statuses, summary.rows) {
                let failures = try fixture.record(try #require(row.runDirectory)).cases.filter {
                    !$0.outcome.isAcceptable
                }
                #expect(
                    status.jobState?.name == (failures.isEmpty ? "COMPLETED" : "FAILED"),
                    "\(row.targetID): \(failures.map { "\($0.id) \($0.outcome) \($0.message ?? "")" })"
                )
            }
            let markdown = try String(contentsOf: fleet.appendingPathComponent("summary.md"), encoding: .utf8)
            let html = try String(contentsOf: fleet.appendingPathComponent("summary.html"), encoding: .utf8)
            for row in summary.rows {
                #expect(markdown.contains("| \(row.passed) | \(row.failed) |"), "\(markdown)")
                #expect(html.contains("href=\"\(try #require(row.report))\""))
            }
        }
    }

    @Test(
        "a job cancelled with scancel mid conformance run (smoke) is continued by submit --resume, every case exactly once"
    )
    func cancelledJobResumes() throws {
        try withCluster { cluster, fixture in
            // Two identical CPU targets in one array: "reference" runs through, "cancelled" is stopped half-way.
            let reference = try fixture.cpuDescriptor(id: "reference")
            let cancelled = try fixture.cpuDescriptor(id: "cancelled")
            let submitted = try cluster.run(
                [
                    fixture.assay.path, "fleet", "submit", "--executor", "slurm", "--target", cancelled.path,
                    "--target", reference.path, "--suite", "smoke",
                ],
                in: fixture.folder
            )
            #expect(submitted.status == 0, "\(submitted.output)")
            let fleet = try fixture.fleetFolder()
            let directory = FleetDirectory(fleet)
            let job = try #require(fixture.manifest(fleet).targets[0].attempts.last?.jobID)

            var runDirectory: URL?
            var doneBeforeCancel = 0
            try fixture.wait("a few conformance cases journaled", seconds: 300) {
                runDirectory = directory.runDirectory(for: "cancelled")
                guard let runDirectory,
                    let journal = try? String(
                        contentsOf: runDirectory.appendingPathComponent("journal.jsonl"),
                        encoding: .utf8
                    )
                else { return false }
                doneBeforeCancel = journal.split(separator: "\n").count
                return doneBeforeCancel >= 3
            }
            #expect(try cluster.run(["scancel", job]).status == 0)
            let run = try #require(runDirectory)
            try fixture.wait("the cancelled job to end", seconds: 120) {
                let state = try cluster.run(["squeue", "-h", "-j", job, "-o", "%T"])
                return state.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            let stopped = try fixture.record(run.path)
            #expect(stopped.status != .complete, "the job was cancelled before its run finished")
            let journaled = try Self.journal(run)
            #expect(
                journaled.count >= 3 && journaled.count < stopped.plannedCases.count,
                "\(journaled.count) of \(stopped.plannedCases.count)"
            )
            let status = try cluster.run([fixture.assay.path, "fleet", "status", fleet.path], in: fixture.folder)
            #expect(status.output.contains("CANCELLED"), "\(status.output)")

            try fixture.wait("the reference job to finish", seconds: 600) {
                let queue = try cluster.run(["squeue", "-h", "-o", "%i"])
                return queue.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            let resumed = try cluster.run(
                [fixture.assay.path, "fleet", "submit", "--resume", fleet.path],
                in: fixture.folder
            )
            #expect(resumed.status == 0, "\(resumed.output)")
            #expect(resumed.output.contains("continuing \(run.path)"), "\(resumed.output)")
            #expect(resumed.output.contains("reference: not submitted"), "\(resumed.output)")
            try fixture.wait("the resumed job to finish", seconds: 600) {
                let queue = try cluster.run(["squeue", "-h", "-o", "%i"])
                return queue.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
            let manifest = try fixture.manifest(fleet)
            #expect(manifest.targets[0].attempts.count == 2 && manifest.targets[0].attempts[1].resumes == run.path)
            #expect(directory.runDirectory(for: "cancelled") == run, "the same run directory, continued")

            let final = try fixture.record(run.path)
            #expect(final.status == .complete)
            // Every planned case exactly once, in the record and in the journal.
            #expect(final.cases.map(\.id) == final.plannedCases)
            // Performance cases are journaled once per round (`--rounds`, default 3), every other case once.
            let journalIDs = try Self.journal(run).map(\.id)
            let kinds = Dictionary(uniqueKeysWithValues: final.cases.map { ($0.id, $0.kind) })
            let repeated = Dictionary(grouping: journalIDs, by: { $0 }).filter { $0.value.count > 1 }.keys
            #expect(
                Set(journalIDs) == Set(final.plannedCases) && repeated.allSatisfy { kinds[$0] == .performance },
                "journal \(journalIDs.count) lines, \(Set(journalIDs).count) ids, planned \(final.plannedCases.count); repeated \(Array(repeated))"
            )
            // The cases journaled before the cancel were kept as they were (same start times), not run again
            // (a performance case's later rounds extend its record, so those are compared by their first round).
            let kept = Dictionary(uniqueKeysWithValues: final.cases.map { ($0.id, $0) })
            #expect(journaled.filter { $0.kind != .performance }.allSatisfy { kept[$0.id] == $0 })
            #expect(journaled.filter { $0.kind == .performance }.allSatisfy { kept[$0.id]?.startedAt == $0.startedAt })
            // The outcomes are those of the uninterrupted run.
            let uninterrupted = try fixture.record(try #require(directory.runDirectory(for: "reference")).path)
            #expect(uninterrupted.status == .complete)
            #expect(final.cases.map(\.id) == uninterrupted.cases.map(\.id))
            #expect(final.cases.map(\.outcome) == uninterrupted.cases.map(\.outcome))
        }
    }

    /// Runs `body` with a fresh cluster and scratch workspace, both removed afterwards.
    func withCluster(_ body: (SlurmTestCluster, FleetFixture) throws -> Void) throws {
        let cluster = try SlurmTestCluster.start()
        defer { cluster.stop() }
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        try body(cluster, fixture)
    }

    /// The results journaled in a run directory, in order.
    static func journal(_ run: URL) throws -> [CaseResult] {
        try String(contentsOf: run.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(separator: "\n")
            .map { try RecordCoding.decoder().decode(CaseResult.self, from: Data($0.utf8)) }
    }

    @Test("a slurm: partition that does not exist exits 2 with sbatch's error and the descriptor's file:line")
    func unknownPartition() throws {
        try withCluster { cluster, fixture in
            try fixture.cpuDescriptor(id: "good")
            let bad = try fixture.cpuDescriptor(
                id: "nowhere",
                extra: """
                    slurm:
                      time_limit: "10:00"
                      partition: no-such-partition
                    """
            )
            let result = try cluster.run(
                [
                    fixture.assay.path, "fleet", "submit", "--executor", "slurm", "--target", "good",
                    "--target", bad.path,
                ],
                in: fixture.folder
            )
            #expect(result.status == 2, "\(result.output)")
            #expect(result.output.contains("invalid partition"), "\(result.output)")
            // Line 8 of the descriptor: the `partition:` line of its slurm: block.
            #expect(result.output.contains("nowhere.yaml:8:"), "\(result.output)")
            #expect(result.output.contains("slurm.partition"), "\(result.output)")
            // Nothing was queued, not even the good target's array.
            #expect(
                try cluster.run(["squeue", "-h", "-o", "%i"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
                    .isEmpty
            )
        }
    }
}
