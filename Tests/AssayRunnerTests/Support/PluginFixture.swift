import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// A scratch folder for tests that drive a Python plugin written in the test: it holds the
/// script, a target and a suite, and runs a whole `assay run` over them from the repository
/// root. The SDK scripts put `Backends/python` on their path from the repository given as an
/// argument.
struct PluginFixture {
    let folder: URL

    init() throws {
        folder = try TemporaryDirectory.make(prefix: "assay-plugin-run")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    /// Writes `text` as `name` in the folder; returns its URL.
    @discardableResult
    func write(_ text: String, to name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A plugin backend on `script` (written into the folder) with `arguments` after it and the
    /// repository last, with short timeouts for tests.
    func backend(script: String, arguments: [String], requestTimeout: Double = 2) throws -> PluginBackend {
        let path = try write(script, to: "plugin.py").path
        return PluginBackend(
            configuration: PluginConfiguration(
                command: ["python3", path] + arguments + [Repository.root.path],
                handshakeTimeoutSeconds: 60,
                requestTimeoutSeconds: requestTimeout,
                maxRestarts: 2
            )
        )
    }

    /// Runs the target and suite texts (written into the folder) through `RunSetup` with plugin
    /// backends; checks that run.json on disk is complete and agrees with the returned record.
    func run(target: String, suite: String) throws -> (record: RunRecord, journalLines: Int) {
        let targetURL = try write(target, to: "target.yaml")
        let suiteURL = try write(suite, to: "suite.yaml")
        let request = RunRequest(
            target: targetURL.path,
            suites: [suiteURL.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"]
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { descriptor, root in
            if let ranks = descriptor.backend.ranks {
                return try RankGroup(spec: descriptor.backend, ranks: ranks, root: root)
            }
            return try PluginBackend(spec: descriptor.backend, root: root)
        }
        let record = try session.run()
        let onDisk = try RunRecord.load(contentsOf: session.runJSON)
        #expect(onDisk.status == .complete && onDisk.cases.map(\.outcome) == record.cases.map(\.outcome))
        let journal = try String(contentsOf: session.journalURL, encoding: .utf8).split(separator: "\n").count
        return (onDisk, journal)
    }
}
