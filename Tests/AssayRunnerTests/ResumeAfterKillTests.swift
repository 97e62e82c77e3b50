import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore

/// Kills a real `assay run` with SIGKILL mid-way, resumes it, and checks that every planned
/// case is recorded exactly once.
@Suite(.serialized) struct ResumeAfterKillTests {
    func launch(_ arguments: [String]) throws -> Process {
        try Subprocess.launch(try #require(Repository.assayExecutable), arguments, in: Repository.root)
    }

    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"), .hangBackstop)
    func sigkillLosesNothingAndResumeCompletes() throws {
        let out = TemporaryDirectory.uniqueURL(prefix: "assay-kill")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try launch(["run", "--suite", "conformance", "--out", out.path, "--quiet"])
        let runDirectory = out.appendingPathComponent("local-cpu/latest")
        let journal = runDirectory.appendingPathComponent("journal.jsonl")
        let deadline = Date(timeIntervalSinceNow: 120)
        while Date() < deadline, first.isRunning {
            let lines = (try? String(contentsOf: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 20 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(first.isRunning, "the run finished before it could be killed")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let before = try RunRecord.load(contentsOf: runDirectory.appendingPathComponent("run.json"))
        #expect(before.status == .running)

        let second = try launch(["run", "--resume", runDirectory.path, "--quiet"])
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let after = try RunRecord.load(contentsOf: runDirectory.appendingPathComponent("run.json"))
        #expect(after.status == .complete)
        #expect(after.cases.map(\.id) == after.plannedCases)
        let journaled = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
        #expect(journaled.count == after.plannedCases.count, "each case journaled exactly once")
        #expect(after.cases.allSatisfy { $0.outcome.isAcceptable })
    }
}
