import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore

/// Issue 13, "Done when": `assay run` is killed with SIGKILL at 20 seeded random moments of a
/// run against a plugin (before the handshake, while ceilings are measured, mid-case, during a
/// resume), each time continued with `--resume`; every run then completes with each case
/// recorded exactly once and the outcomes an uninterrupted run gives.
@Suite(
    .serialized,
    .enabled(
        if: Python.canImport("numpy") && Repository.assayExecutable != nil,
        "python3 with numpy or the assay executable is not available"
    )
)
struct KillAnywhereTests {
    static let suite = """
        id: kill-anywhere
        cases:
          - {op: relu, dtypes: [f32, f16], shapes: [{shape: [64]}, {shape: [3, 5]}]}
          - {op: add, dtypes: [f32], shapes: [{a: [16], b: [16]}, {a: [4, 1], b: [1, 8]}]}
          - {op: softmax, dtypes: [f32], shapes: [{shape: [4, 33]}]}
          - {op: add, kind: performance, dtypes: [f32], shapes: [{a: [256], b: [256]}], time_cap_s: 0.3}
        """

    @Test(.hangBackstop) func killedAnywhereAndResumedRecordsEachCaseOnce() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-kill-anywhere")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suiteURL = folder.appendingPathComponent("kill-anywhere.yaml")
        try Self.suite.write(to: suiteURL, atomically: true, encoding: .utf8)
        let executable = try #require(Repository.assayExecutable)
        let reports = folder.appendingPathComponent("Reports")
        let runs = reports.appendingPathComponent("numpy-cpu")
        func launch(_ arguments: [String]) throws -> Process {
            try Subprocess.launch(executable, ["run"] + arguments + ["--quiet", "--no-reports"], in: Repository.root)
        }
        let fresh = ["--target", "numpy-cpu", "--suite", suiteURL.path, "--out", reports.path]

        // The uninterrupted reference, which also sets the time scale of the kill points.
        let referenceOut = folder.appendingPathComponent("Reference")
        let started = Date()
        let reference = try launch(["--target", "numpy-cpu", "--suite", suiteURL.path, "--out", referenceOut.path])
        reference.waitUntilExit()
        let span = Date().timeIntervalSince(started)
        let referenceRecord = try RunRecord.load(
            contentsOf: referenceOut.appendingPathComponent("numpy-cpu/latest/run.json")
        )
        try #require(referenceRecord.status == .complete && referenceRecord.cases.count == 8)
        let expected = Dictionary(uniqueKeysWithValues: referenceRecord.cases.map { ($0.id, $0.outcome) })

        /// Visible run folders (a hidden `.partial` one never started).
        func runFolders() -> [URL] {
            ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? [])
                .filter { !$0.hasPrefix(".") && $0 != "latest" }.sorted().map { runs.appendingPathComponent($0) }
        }
        func unfinished() -> URL? {
            runFolders().first {
                (try? RunRecord.load(contentsOf: $0.appendingPathComponent("run.json")))?.status != .complete
            }
        }

        var random = SplitMix64(seed: 20_261_129)
        var kills = 0
        var killedStates: [String] = []
        while kills < 20 {
            // A third of the points land in the first 0.4 s (the plugin is still starting), the rest anywhere.
            let delay = kills % 3 == 0 ? random.nextUnit() * 0.4 : random.nextUnit() * span
            let resuming = unfinished()
            let existing = Set(runFolders())
            let process = try launch(resuming.map { ["--resume", $0.path] } ?? fresh)
            Thread.sleep(forTimeInterval: delay)
            guard process.isRunning else {
                process.waitUntilExit()
                continue
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            // Where the kill landed, as the record left on disk says: no folder yet (still starting),
            // `failed-to-start` (handshake or ceilings), `running` (mid-case).
            let left = resuming ?? runFolders().first { !existing.contains($0) }
            let state =
                left.flatMap { try? RunRecord.load(contentsOf: $0.appendingPathComponent("run.json")).status.rawValue }
                ?? "none"
            killedStates.append((resuming == nil ? "fresh:" : "resume:") + state)
        }
        // Continue whatever is left until it completes.
        for _ in 0..<5 {
            guard let left = unfinished() else { break }
            let process = try launch(["--resume", left.path])
            process.waitUntilExit()
        }
        #expect(unfinished() == nil)
        #expect(killedStates.contains { $0.hasPrefix("resume:") }, "some kills landed during a resume: \(killedStates)")
        #expect(
            killedStates.contains { $0.hasSuffix(":failed-to-start") },
            "some before the first case: \(killedStates)"
        )
        for run in runFolders() {
            let record = try RunRecord.load(contentsOf: run.appendingPathComponent("run.json"))
            #expect(record.status == .complete)
            #expect(record.cases.map(\.id) == record.plannedCases && Set(record.plannedCases) == Set(expected.keys))
            let journal = try String(contentsOf: run.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(
                separator: "\n"
            )
            #expect(
                journal.count == record.plannedCases.count,
                "each case journaled exactly once in \(run.lastPathComponent)"
            )
            for result in record.cases {
                #expect(result.outcome == expected[result.id], "\(result.id): \(result.outcome)")
            }
        }
    }
}
