import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Issue 13.6: while one process holds a run, `assay run --resume` of it from another process
/// exits 2 with "run in use by pid N" and writes nothing; once the holder is done, it resumes.
@Suite struct RunLockTests {
    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func secondResumeIsRefusedWhileTheRunIsHeld() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-run-lock")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("relu.yaml")
        try "id: relu\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [8]}, {shape: [3]}]}\n".write(
            to: suite,
            atomically: true,
            encoding: .utf8
        )
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"]
        )
        // This process prepares the run and so holds its lock until the session is released.
        var session: RunSession? = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        let directory = try #require(session?.directory)
        let before = try Data(contentsOf: directory.appendingPathComponent("run.json"))

        let executable = try #require(Repository.assayExecutable).path
        let refused = try Subprocess.run(
            [executable, "run", "--resume", directory.path, "--quiet", "--no-reports"],
            in: Repository.root
        )
        #expect(refused.status == 2)
        #expect(refused.output.contains("run in use by pid \(getpid())"), "\(refused.output)")
        #expect(
            try Data(contentsOf: directory.appendingPathComponent("run.json")) == before,
            "the refused resume wrote nothing"
        )
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("journal.jsonl").path))

        let record = try #require(session).run()
        #expect(record.status == .complete)
        session = nil  // releases the lock
        try FileManager.default.removeItem(at: directory.appendingPathComponent("journal.jsonl"))
        var reopened = try RunRecord.load(contentsOf: directory.appendingPathComponent("run.json"))
        reopened.status = .interrupted
        reopened.cases = []
        try RecordCoding.encoder().encode(reopened).write(to: directory.appendingPathComponent("run.json"))
        let resumed = try Subprocess.run(
            [executable, "run", "--resume", directory.path, "--quiet", "--no-reports"],
            in: Repository.root
        )
        #expect(resumed.status == 0, "\(resumed.output)")
    }
}
