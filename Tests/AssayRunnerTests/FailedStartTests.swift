import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Issue 13.4: a run whose backend cannot start leaves a small run.json that says
/// `failed-to-start` and why, `latest` stays on the previous good run, and `--resume` of it
/// works once the backend can start.
@Suite struct FailedStartTests {
    struct Broken: Error, CustomStringConvertible {
        var description: String { "handshake failed: the plugin exited with status 3" }
    }

    @Test func failedStartIsRecordedAndResumable() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-failed-start")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("relu.yaml")
        try "id: relu\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [8]}, {shape: [3]}]}\n".write(
            to: suite,
            atomically: true,
            encoding: .utf8
        )
        let reports = folder.appendingPathComponent("Reports")
        func request(resume: URL? = nil) -> RunRequest {
            RunRequest(
                target: "local-cpu",
                suites: [suite.path],
                reportsRoot: reports,
                resume: resume,
                root: Repository.root,
                command: ["test"]
            )
        }
        let progress = ProgressReporter(quiet: true)
        let latest = reports.appendingPathComponent("local-cpu/latest")

        let good = try RunSetup.prepare(request(), progress: progress) { _, _ in NativeCPUBackend(threads: 1) }
        _ = try good.run()
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == good.directory.lastPathComponent
        )

        var failure: StartFailure?
        do {
            _ = try RunSetup.prepare(request(), progress: progress) { _, _ in throw Broken() }
        } catch let error as StartFailure {
            failure = error
        }
        let failed = try #require(failure).directory
        let record = try RunRecord.load(contentsOf: failed.appendingPathComponent("run.json"))
        #expect(record.status == .failedToStart)
        #expect(record.failure?.contains("exited with status 3") == true)
        #expect(record.cases.isEmpty && record.suites.first?.value.id == "relu")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == good.directory.lastPathComponent,
            "the previous good run stays latest"
        )
        let hidden = try FileManager.default.contentsOfDirectory(
            atPath: reports.appendingPathComponent("local-cpu").path
        ).filter { $0.hasSuffix(".partial") }
        #expect(hidden.isEmpty)

        // Once the backend starts, the failed run resumes in its own folder and becomes latest.
        let resumed = try RunSetup.prepare(request(resume: failed), progress: progress) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        let final = try resumed.run()
        #expect(final.status == .complete && final.failure == nil && final.cases.count == 2)
        #expect(final.events?.first?.stage == .start, "the failed start stays in the record's history")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: latest.path) == failed.lastPathComponent)

        // A folder with no run.json cannot be resumed, and says so.
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(throws: InputError.self) {
            _ = try RunSetup.prepare(request(resume: empty), progress: progress) { _, _ in NativeCPUBackend(threads: 1)
            }
        }
    }
}
