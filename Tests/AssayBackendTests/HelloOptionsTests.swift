import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

/// A descriptor's `options:` and expanded variables reach the plugin: the plugin echoes its
/// hello `options` and one environment variable back as its `runtime`.
@Suite(.enabled(if: Python.isAvailable, "python3 is not on PATH"))
struct HelloOptionsTests {
    static let script = #"""
        import json, os, sys
        for line in sys.stdin.buffer:
            h = json.loads(line)
            if h["type"] == "hello":
                runtime = dict(h.get("options", {}), sdk_env=os.environ.get("VENDOR_LIB", "unset"))
                reply = {"type": "hello", "protocol": 1, "backend": {"name": "echo", "version": "1"}, "devices": [],
                         "timer": "host_monotonic", "capabilities": {}, "runtime": runtime}
            else:
                reply = {"type": "bye", "id": h.get("id")}
            sys.stdout.buffer.write(json.dumps(reply).encode() + b"\n"); sys.stdout.buffer.flush()
            if h["type"] == "shutdown":
                break
        """#

    @Test("options go into the hello beside device; ${DESCRIPTOR_DIR} and ${env:…} are expanded")
    func optionsAndVariablesReachThePlugin() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-hello-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.script.write(to: folder.appendingPathComponent("echo_plugin.py"), atomically: true, encoding: .utf8)
        let text = """
            id: echo
            kind: accelerator
            backend:
              command: [python3, "${DESCRIPTOR_DIR}/echo_plugin.py"]
              env: {VENDOR_LIB: "${env:ASSAY_TEST_SDK}/lib"}
              device: npu:1
              options: {precision: high, streams: 4}
            """
        let variables = DescriptorVariables(
            descriptorDirectory: folder.path,
            environment: ["ASSAY_TEST_SDK": "/opt/vendor"]
        )
        let spec = try TargetDescriptor.parse(text: text, file: "echo.yaml", variables: variables).backend
            .resolved(root: URL(fileURLWithPath: "/"))
        let backend = PluginBackend(configuration: try PluginConfiguration(spec: spec, root: URL(fileURLWithPath: "/")))
        defer { backend.shutdown() }
        let identity = try backend.describe()
        #expect(
            identity.runtime == ["device": "npu:1", "precision": "high", "streams": "4", "sdk_env": "/opt/vendor/lib"]
        )
    }
}
