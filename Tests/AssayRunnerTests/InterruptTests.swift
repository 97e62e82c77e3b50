import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore

/// Issue 13.7 against a real `assay run` whose plugin hangs in `execute` (request_s 20, so
/// waiting for the timeout would take 20 s per case): the first SIGINT or SIGTERM cancels the
/// request and ends an interrupted, resumable run with status 130; a second one exits at once;
/// either way, and when the harness is SIGKILLed, the plugin does not outlive it.
@Suite(
    .serialized,
    .enabled(if: Python.isAvailable && Repository.assayExecutable != nil, "python3 or the assay executable is missing")
)
struct InterruptTests {
    struct Run {
        let harness: Process
        let plugin: Int32
        let runDirectory: URL
    }

    /// Starts `assay run` on `hang_on_execute.py` and returns once the plugin sits in its execute.
    func startHangingRun(in folder: URL, stubborn: Bool) throws -> Run {
        let pidFile = folder.appendingPathComponent("plugin.pid")
        let target = folder.appendingPathComponent("target.yaml")
        try """
        id: hangs
        kind: cpu
        backend:
          command: [python3, "\(PluginFixtures.path("hang_on_execute.py"))"\(stubborn ? ", stubborn" : "")]
          env: {FIXTURE_PID_FILE: "\(pidFile.path)"}
          timeouts: {handshake_s: 30, request_s: 20}
        """.write(to: target, atomically: true, encoding: .utf8)
        let suite = folder.appendingPathComponent("suite.yaml")
        try """
        id: hang
        cases:
          - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [7]}]}
        """.write(to: suite, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("Reports")
        let harness = try Subprocess.launch(
            try #require(Repository.assayExecutable),
            [
                "run", "--target", target.path, "--suite", suite.path, "--out", out.path,
                "--quiet", "--no-reports", "--no-ceilings",
            ],
            in: Repository.root
        )
        let pid = try #require(
            PluginFixtures.waitForText(at: pidFile, seconds: 60).flatMap { Int32($0) },
            "the plugin never reached execute"
        )
        return Run(harness: harness, plugin: pid, runDirectory: out.appendingPathComponent("hangs/latest"))
    }

    /// Waits for the harness to end (a zombie counts), then kills the plugin if it is still there:
    /// Foundation sees a child's exit through a socket the child inherited, so a surviving plugin
    /// that inherited it would make `waitUntilExit` hang instead of letting the test fail.
    func finish(_ run: Run, harnessWithin seconds: Double) -> (harnessEnded: Bool, pluginGone: Bool) {
        let ended = PluginFixtures.waitUntilGone(run.harness.processIdentifier, seconds: seconds)
        if !ended { kill(run.harness.processIdentifier, SIGKILL) }
        let gone = PluginFixtures.waitUntilGone(run.plugin, seconds: 5)
        if !gone { kill(run.plugin, SIGKILL) }
        run.harness.waitUntilExit()
        return (ended, gone)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func theFirstSignalCancelsTheRequestAndRecordsAnInterruptedRun(signal: Int32) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try startHangingRun(in: folder, stubborn: false)
        let sent = Date()
        kill(run.harness.processIdentifier, signal)
        let (ended, pluginGone) = finish(run, harnessWithin: 60)
        let took = Date().timeIntervalSince(sent)
        #expect(ended && run.harness.terminationReason == .exit && run.harness.terminationStatus == 130)
        #expect(took < 15, "the run ended \(took) s after the signal: it waited for the request's timeout")
        let record = try RunRecord.load(contentsOf: run.runDirectory.appendingPathComponent("run.json"))
        #expect(
            record.status == .interrupted && record.cases.isEmpty,
            "the cancelled case is not recorded; --resume runs it"
        )
        #expect(pluginGone)
    }

    @Test func aSecondSignalExitsAtOnceAndKillsAPluginThatIgnoresEOFAndSignals() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try startHangingRun(in: folder, stubborn: true)
        kill(run.harness.processIdentifier, SIGINT)
        // The second one lands while the first waits out the plugin's grace (0.5 s).
        Thread.sleep(forTimeInterval: 0.15)
        kill(run.harness.processIdentifier, SIGINT)
        let (ended, pluginGone) = finish(run, harnessWithin: 10)
        #expect(ended && run.harness.terminationStatus == 130)
        #expect(pluginGone)
        // Exiting at once means no final record: run.json still says `running`, resumable as after a kill.
        let record = try RunRecord.load(contentsOf: run.runDirectory.appendingPathComponent("run.json"))
        #expect(record.status == .running)
    }

    @Test func aPluginDiesWithAHarnessKilledBySIGKILL() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try startHangingRun(in: folder, stubborn: true)
        kill(run.harness.processIdentifier, SIGKILL)
        #expect(finish(run, harnessWithin: 10).pluginGone, "PR_SET_PDEATHSIG kills the plugin with the harness")
    }
}
