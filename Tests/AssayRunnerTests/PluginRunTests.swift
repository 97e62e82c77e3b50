import AssayBackend
import Foundation
import Testing
@testable import AssayCore
@testable import AssayRunner

/// Whether python3 can import numpy (the numpy backend's one dependency).
private let numpyAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// Whole runs against the numpy plugin with one injected fault: the faulty case gets its
/// outcome, the plugin is restarted, the later cases pass, and run.json is complete.
@Suite(.enabled(if: numpyAvailable, "python3 with numpy is not available"))
struct PluginRunTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The numpy backend with a fault injected into its first `execute` (a marker file makes
    /// the restarted process behave).
    static let faultyWrapper = #"""
    import os, sys, time
    mode, marker, repo = sys.argv[1:4]
    del sys.argv[1:]  # run() parses the command line
    sys.path.insert(0, os.path.join(repo, "Backends", "python"))
    from assay_backend.server import Server, protect_stdio
    protect_stdio()
    import numpy_backend
    from assay_backend import run
    original = Server.on_execute
    def faulty(self, header, req_id, payload):
        if not os.path.exists(marker):
            open(marker, "w").close()
            print("injected fault: " + mode, file=sys.stderr, flush=True)
            if mode == "crash":
                os._exit(9)
            if mode == "hang":
                time.sleep(3600)
            if mode == "garbage":
                self.writer.stream.write(b"\xff" * 100 + b"\n")
                self.writer.stream.flush()
                return
        return original(self, header, req_id, payload)
    Server.on_execute = faulty
    run(numpy_backend.NumpyBackend)
    """#

    func run(fault: String) throws -> (RunRecord, journalLines: Int) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-plugin-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("faulty_numpy.py")
        try Self.faultyWrapper.write(to: script, atomically: true, encoding: .utf8)
        let target = folder.appendingPathComponent("faulty.yaml")
        try """
        id: faulty-numpy
        kind: cpu
        backend:
          command: [python3, "\(script.path)", \(fault), "\(folder.appendingPathComponent("marker").path)", "\(Self.repository.path)"]
          timeouts: {handshake_s: 60, request_s: 2}
          max_restarts: 2
        """.write(to: target, atomically: true, encoding: .utf8)
        let suite = folder.appendingPathComponent("relu.yaml")
        try """
        id: relu
        cases:
          - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [3, 5]}, {shape: [7]}]}
        """.write(to: suite, atomically: true, encoding: .utf8)
        let request = RunRequest(target: target.path, suites: [suite.path], reportsRoot: folder.appendingPathComponent("Reports"),
                                 root: Self.repository, command: ["test"])
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { descriptor, root in
            try PluginBackend(spec: descriptor.backend, root: root)
        }
        let record = try session.run()
        let onDisk = try RunRecord.load(contentsOf: session.runJSON)
        #expect(onDisk.status == .complete && onDisk.cases.map(\.outcome) == record.cases.map(\.outcome))
        let journal = try String(contentsOf: session.journalURL, encoding: .utf8).split(separator: "\n").count
        return (onDisk, journal)
    }

    @Test(arguments: [("crash", Outcome.crash, "exited with status 9"),
                      ("hang", Outcome.timeout, "within 2 s"),
                      ("garbage", Outcome.error, "unreadable reply header")])
    func aFaultyCaseIsRecordedAndTheRunCarriesOn(fault: String, outcome: Outcome, reason: String) throws {
        let (record, journalLines) = try run(fault: fault)
        #expect(record.backend.transport == "plugin" && record.backend.name == "numpy")
        #expect(record.cases.map(\.outcome) == [outcome, .pass, .pass])
        #expect(record.cases.first?.message?.contains(reason) == true, "\(record.cases.first?.message ?? "")")
        #expect(record.cases.first?.stderrTail?.contains("injected fault: \(fault)") == true)
        #expect(journalLines == 3)
    }
}
