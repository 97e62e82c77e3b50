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
    func run(fault: String, inspect: (URL) throws -> Void = { _ in }) throws -> (RunRecord, journalLines: Int) {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        defer { try? inspect(fixture.folder) }
        return try fixture.run(target: """
            id: faulty-numpy
            kind: cpu
            backend:
              command: [python3, "\(PluginFixtures.path("faulty_numpy.py"))", \(fault), "\(fixture.folder.appendingPathComponent("marker").path)", "\(Repository.root.path)"]
              timeouts: {handshake_s: 60, request_s: 2}
              max_restarts: 2
            """, suite: """
            id: relu
            cases:
              - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [3, 5]}, {shape: [7]}]}
            """)
    }

    @Test(arguments: [("crash", Outcome.crash, "exited with status 9"),
                      ("hang", Outcome.timeout, "within 2 s"),
                      ("garbage", Outcome.error, "not valid UTF-8")])
    func aFaultyCaseIsRecordedAndTheRunCarriesOn(fault: String, outcome: Outcome, reason: String) throws {
        let (record, journalLines) = try run(fault: fault)
        #expect(record.backend.transport == "plugin" && record.backend.name == "numpy")
        #expect(record.cases.map(\.outcome) == [outcome, .pass, .pass])
        #expect(record.cases.first?.message?.contains(reason) == true, "\(record.cases.first?.message ?? "")")
        #expect(record.cases.first?.stderrTail?.contains("injected fault: \(fault)") == true)
        #expect(journalLines == 3)
    }

    /// An `internal` error carries the plugin's traceback, and the run directory keeps the plugin's stderr.
    @Test func anInternalErrorCarriesTheTracebackAndStderrIsLogged() throws {
        var logged = ""
        let (record, _) = try run(fault: "raise") { folder in
            let runs = folder.appendingPathComponent("Reports/faulty-numpy")
            for run in try FileManager.default.contentsOfDirectory(atPath: runs.path) where run != "latest" {
                logged += (try? String(contentsOf: runs.appendingPathComponent(run).appendingPathComponent("plugin.stderr.log"), encoding: .utf8)) ?? ""
            }
        }
        #expect(record.cases.map(\.outcome) == [.error, .pass, .pass])
        let tail = try #require(record.cases.first?.stderrTail)
        #expect(tail.contains("Traceback") && tail.contains("RuntimeError: injected fault: raise"), "\(tail)")
        #expect(logged.contains("RuntimeError: injected fault: raise"))
    }
}
