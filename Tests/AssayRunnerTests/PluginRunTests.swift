import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Whole runs against the numpy plugin with one injected fault: the faulty case gets its
/// outcome, the plugin is restarted, the later cases pass, and run.json is complete.
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct PluginRunTests {
    func run(fault: String) throws -> (RunRecord, journalLines: Int) {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        return try fixture.run(
            target: """
                id: faulty-numpy
                kind: cpu
                backend:
                  command: [python3, "\(PluginFixtures.path("faulty_numpy.py"))", \(fault), "\(fixture.folder.appendingPathComponent("marker").path)", "\(Repository.root.path)"]
                  timeouts: {handshake_s: 60, request_s: 2}
                  max_restarts: 2
                """,
            suite: """
                id: relu
                cases:
                  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [3, 5]}, {shape: [7]}]}
                """
        )
    }

    @Test(arguments: [
        ("crash", Outcome.crash, "exited with status 9"),
        ("hang", Outcome.timeout, "within 2 s"),
        ("garbage", Outcome.error, "not valid UTF-8"),
    ])
    func aFaultyCaseIsRecordedAndTheRunCarriesOn(fault: String, outcome: Outcome, reason: String) throws {
        let (record, journalLines) = try run(fault: fault)
        #expect(record.backend.transport == .plugin && record.backend.name == "numpy")
        #expect(record.cases.map(\.outcome) == [outcome, .pass, .pass])
        #expect(record.cases.first?.message?.contains(reason) == true, "\(record.cases.first?.message ?? "")")
        #expect(record.cases.first?.stderrTail?.contains("injected fault: \(fault)") == true)
        #expect(journalLines == 3)
    }

    /// An `internal` error carries the plugin's traceback, and the run directory keeps the plugin's
    /// stderr. Run through the executable: the log is one per process (as `assay run` is), so
    /// in-process runs of parallel tests would share it.
    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func anInternalErrorCarriesTheTracebackAndStderrIsLogged() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-stderr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("faulty.yaml")
        let suite = folder.appendingPathComponent("relu.yaml")
        try """
        id: faulty-numpy
        kind: cpu
        backend:
          command: [python3, "\(PluginFixtures.path("faulty_numpy.py"))", raise, "\(folder.appendingPathComponent("marker").path)", "\(Repository.root.path)"]
          timeouts: {handshake_s: 60, request_s: 20}
          max_restarts: 2
        """.write(to: target, atomically: true, encoding: .utf8)
        try "id: relu\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [7]}]}\n".write(
            to: suite,
            atomically: true,
            encoding: .utf8
        )
        let executable = try #require(Repository.assayExecutable).path
        let result = try Subprocess.run(
            [
                executable, "run", "--target", target.path, "--suite", suite.path,
                "--out", folder.appendingPathComponent("R").path, "--quiet", "--no-reports",
            ],
            in: folder
        )
        #expect(result.status == 1, "\(result.output)")
        let record = try RunRecord.load(contentsOf: folder.appendingPathComponent("R/faulty-numpy/latest/run.json"))
        #expect(record.cases.map(\.outcome) == [.error, .pass])
        let tail = try #require(record.cases.first?.stderrTail)
        #expect(tail.contains("Traceback") && tail.contains("RuntimeError: injected fault: raise"), "\(tail)")
        let logged = try String(
            contentsOf: folder.appendingPathComponent("R/faulty-numpy/latest/plugin.stderr.log"),
            encoding: .utf8
        )
        #expect(logged.contains("RuntimeError: injected fault: raise"), "\(logged)")
    }
}
