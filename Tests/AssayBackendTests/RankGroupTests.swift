import AssayCore
import Foundation
import Testing

@testable import AssayBackend

/// Which rank a failed collective names, and the identity pinning of ABP 1.1 features.
struct RankGroupTests {
    @Test func aCrashExplainsTheOthersThenATimeoutThenAnError() {
        let peer = BackendError.internal("rank 0: rank 1 closed its connection")
        let crash = RankGroup.blame(
            [
                (0, peer), (1, .crashed("plugin exited with status 9", stderrTail: "boom")),
                (2, .timedOut("late", stderrTail: "")),
            ],
            of: 3
        )
        guard case .crashed(let message, let tail) = crash else {
            Issue.record("\(crash)")
            return
        }
        #expect(message.hasPrefix("rank 1 of 3: plugin exited with status 9") && tail == "boom")
        #expect(
            message.contains(
                "[other ranks: rank 2: backend timed out: late; rank 0: backend error: rank 0: rank 1 closed its connection]"
            )
        )
        let hang = RankGroup.blame([(0, peer), (1, .timedOut("no reply", stderrTail: ""))], of: 2)
        #expect(hang.outcome == .timeout && hang.description.contains("rank 1 of 2: no reply"))
        let errors = RankGroup.blame([(1, .internal("b")), (0, .internal("a"))], of: 2)
        #expect(errors.outcome == .error && errors.description.contains("rank 0 of 2: a"))
        #expect(RankGroup.blame([(0, .unsupported("x")), (1, .unsupported("x"))], of: 2).outcome == .unsupported)
    }

    @Test func aRestartWithOtherFeaturesIsAnIdentityChange() {
        var first = BackendIdentity(
            name: "numpy",
            version: "1",
            transport: .plugin,
            protocolVersion: 1,
            devices: [],
            timer: "host_monotonic",
            capabilities: [:]
        )
        first.protocolMinor = 1
        first.features = ["collective"]
        var second = first
        #expect(PluginBackend.identityChange(from: first, to: second) == nil)
        second.features = []
        #expect(PluginBackend.identityChange(from: first, to: second) == "features [collective] → []")
        second = first
        second.protocolMinor = nil
        #expect(PluginBackend.identityChange(from: first, to: second) == "protocol changed")
    }

    /// A rank's harness side does not spin for its replies (the ranks hold the cores during a
    /// collective), while a single plugin from the same descriptor keeps the default spin.
    @Test func ranksWaitForRepliesWithoutSpinning() throws {
        let root = URL(fileURLWithPath: "/tmp")
        let spec = BackendSpec(command: ["python3", "plugin.py"])
        let group = try RankGroup(spec: spec, ranks: RankSpec(count: 2), root: root)
        #expect(group.ranks.count == 2)
        #expect(group.ranks.allSatisfy { $0.configuration.replySpinMicroseconds == 0 })
        #expect(group.ranks.allSatisfy { $0.configuration.command == ["python3", "plugin.py"] })
        let single = try PluginConfiguration(spec: spec, root: root)
        #expect(single.replySpinMicroseconds == PluginConfiguration.defaultReplySpinMicroseconds)
        #expect(PluginConfiguration.defaultReplySpinMicroseconds > 0)
    }
}
