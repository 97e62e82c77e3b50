import AssayTestSupport
import Foundation

@testable import AssayBackend

/// The hand-framed plugin `Tests/Fixtures/plugins/fake_plugin.py` (plain Python, no numpy): relu
/// f32, misbehaving once, on its first `execute`, in the way its mode names. A marker file (path
/// in $FAKE_MARKER, which also proves the descriptor's env reaches the plugin) makes the
/// restarted process behave, so a test can see the next case succeed.
enum FakePlugin {
    /// A fresh temporary folder for the marker; returns (script, marker) paths.
    static func install() throws -> (script: String, marker: String) {
        let folder = try TemporaryDirectory.make(prefix: "assay-fake-plugin")
        return (PluginFixtures.path("fake_plugin.py"), folder.appendingPathComponent("misbehaved").path)
    }

    /// A backend on the fake plugin in `mode`, with short timeouts for tests.
    static func backend(_ mode: String, maxRestarts: Int = 3, requestTimeout: Double = 2) throws -> PluginBackend {
        let (script, marker) = try install()
        return PluginBackend(
            configuration: PluginConfiguration(
                command: ["python3", script, mode],
                environment: ["FAKE_MARKER": marker],
                device: "cpu",
                handshakeTimeoutSeconds: 10,
                requestTimeoutSeconds: requestTimeout,
                maxRestarts: maxRestarts
            )
        )
    }
}
