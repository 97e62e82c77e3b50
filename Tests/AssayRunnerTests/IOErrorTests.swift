import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Issue 13.11: a write that fails (a full disk, a path that is not a folder) is exit 2 naming
/// the path and the errno text, and the record stays resumable. Works as root: /dev/full fails
/// every write with ENOSPC, and a path under a device file fails with ENOTDIR.
@Suite struct IOErrorTests {
    @Test(
        .enabled(
            if: Repository.assayExecutable != nil && FileManager.default.fileExists(atPath: "/dev/full"),
            "the assay executable is not built or /dev/full is missing"
        )
    )
    func fullDiskAndBadFolderAreExitTwoAndTheRunResumes() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-io-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("relu.yaml")
        try "id: relu\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [8]}, {shape: [3]}]}\n".write(
            to: suite,
            atomically: true,
            encoding: .utf8
        )
        let executable = try #require(Repository.assayExecutable).path
        let common = ["--suite", suite.path, "--quiet", "--no-reports"]

        let notAFolder = try Subprocess.run(
            [executable, "run", "--out", "/dev/full/reports"] + common,
            in: Repository.root
        )
        #expect(notAFolder.status == 2)
        #expect(notAFolder.output.contains("/dev/full: Not a directory"), "\(notAFolder.output)")

        // A run that stopped before its first case (its record says failed-to-start), then a disk
        // that is full when the resume writes run.json.
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"]
        )
        let directory = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }.directory
        let runJSON = directory.appendingPathComponent("run.json")
        let before = try Data(contentsOf: runJSON)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent(".run.json.tmp").path,
            withDestinationPath: "/dev/full"
        )
        let full = try Subprocess.run(
            [executable, "run", "--resume", directory.path] + common.suffix(2),
            in: Repository.root
        )
        #expect(full.status == 2)
        #expect(
            full.output.contains(".run.json.tmp") && full.output.contains("No space left on device"),
            "\(full.output)"
        )
        #expect(try Data(contentsOf: runJSON) == before, "the record is untouched")

        try? FileManager.default.removeItem(at: directory.appendingPathComponent(".run.json.tmp"))
        let resumed = try Subprocess.run(
            [executable, "run", "--resume", directory.path] + common.suffix(2),
            in: Repository.root
        )
        #expect(resumed.status == 0, "\(resumed.output)")
        let record = try RunRecord.load(contentsOf: runJSON)
        #expect(record.status == .complete && record.cases.count == 2)
    }
}
