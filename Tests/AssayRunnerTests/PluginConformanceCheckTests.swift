import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayRunner

/// `assay plugin check` against a hostile fixture plugin: one root cause is reported once.
@Suite(.enabled(if: Python.isAvailable, "python3 is not on PATH"))
struct PluginConformanceCheckTests {
    /// `assay plugin check` fails zero samples, once: the shutdown check after the killed plugin is not run.
    @Test func pluginCheckFailsZeroSamplesAndReportsTheRootCauseOnce() throws {
        let checkConfiguration = PluginConfiguration(
            command: ["python3", PluginFixtures.path("bad_samples.py"), "0"],
            device: "cpu",
            handshakeTimeoutSeconds: 10,
            requestTimeoutSeconds: 2,
            maxRestarts: 0
        )
        let checks = PluginConformanceCheck(configuration: checkConfiguration).run()
        let failed = checks.filter { !$0.passed && !$0.skipped }
        #expect(
            failed.map(\.name) == ["benchmark relu f32 returns 3 samples"],
            "\(failed.map { "\($0.name): \($0.detail)" })"
        )
        #expect(failed.first?.detail.contains("positive and finite") == true)
        #expect(checks.last?.skipped == true && checks.last?.name.hasPrefix("shutdown") == true)
    }

    /// The check judges an execute by the run's rule (`ConformanceChecker.judge`): a right relu
    /// passes with the op's error model named, a wrong shape fails with the run's structural message.
    @Test(arguments: [("ok", true, "elements within"), ("wrongshape", false, "shape: expected")])
    func anExecuteIsJudgedAsARunJudgesIt(mode: String, passes: Bool, words: String) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-plugin-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = PluginConfiguration(
            command: ["python3", PluginFixtures.path("fake_plugin.py"), mode],
            environment: ["FAKE_MARKER": folder.appendingPathComponent("misbehaved").path],
            device: "cpu",
            handshakeTimeoutSeconds: 10,
            requestTimeoutSeconds: 2,
            maxRestarts: 0
        )
        let checks = PluginConformanceCheck(configuration: configuration).run()
        let relu = try #require(checks.first { $0.name == "execute relu f32" })
        #expect(relu.passed == passes && relu.detail.contains(words), "\(relu.detail)")
    }
}
