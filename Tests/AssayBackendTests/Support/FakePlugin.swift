import AssayTestSupport
import Foundation
@testable import AssayBackend

/// A hand-framed ABP plugin in plain Python (no numpy) that implements `relu` in f32 and
/// misbehaves once, on its first `execute`, in the way its mode names. A marker file
/// (path in $FAKE_MARKER, which also proves the descriptor's env reaches the plugin) makes
/// the restarted process behave, so a test can see the next case succeed.
enum FakePlugin {

    static let script = #"""
    import json, os, struct, sys, time
    mode = sys.argv[1]
    marker = os.environ.get("FAKE_MARKER", "")
    inp, out = sys.stdin.buffer, sys.stdout.buffer

    def send(header, payload=b""):
        out.write(json.dumps(header).encode() + b"\n" + payload)
        out.flush()

    def misbehave_now():
        if mode == "ok" or not marker or os.path.exists(marker):
            return False
        open(marker, "w").close()
        return True

    while True:
        line = inp.readline()
        if not line:
            sys.exit(0)
        try:
            h = json.loads(line)
        except ValueError:
            send({"type": "error", "id": None, "code": "invalid", "message": "bad json"})
            continue
        payload = inp.read(h.get("payload_bytes", 0) or 0)
        t, rid = h.get("type"), h.get("id")
        if t == "hello":
            if mode == "refuse":
                print("no such device", file=sys.stderr, flush=True)
                send({"type": "error", "id": None, "code": "unsupported", "message": "device missing"})
                continue
            send({"type": "hello", "protocol": 1, "backend": {"name": "fake", "version": "1"},
                  "devices": [{"index": 0, "name": "fake0", "kind": "cpu", "memory_bytes": 1024, "max_clock_mhz": 1500}],
                  "timer": "host_monotonic", "capabilities": {"relu": ["f32"]}, "runtime": {"python": "3", "build": 7}})
        elif t == "execute":
            if h.get("op") != "relu" or h.get("dtype") != "f32":
                send({"type": "error", "id": rid, "code": "unsupported", "message": "only relu f32"})
                continue
            shape = h["inputs"][0]["shape"]
            n = len(payload) // 4
            values = struct.unpack("<%df" % n, payload)
            result = struct.pack("<%df" % n, *[v if v > 0 or v != v else 0.0 for v in values])
            desc = {"dtype": "f32", "shape": shape, "nbytes": len(result)}
            if misbehave_now():
                print("fake plugin misbehaving: " + mode, file=sys.stderr, flush=True)
                if mode == "exit":
                    os._exit(3)
                if mode == "hang":
                    time.sleep(3600)
                if mode == "malformed":
                    out.write(b'{"type": "result", "id": ' + str(rid).encode() + b', oops\n'); out.flush(); continue
                if mode == "huge":
                    send({"type": "result", "id": rid, "payload_bytes": 1 << 40,
                          "outputs": [{"dtype": "f32", "shape": [1 << 38], "nbytes": 1 << 40}]}); continue
                if mode == "wrongshape":
                    send({"type": "result", "id": rid, "payload_bytes": len(result) + 4,
                          "outputs": [{"dtype": "f32", "shape": [n + 1], "nbytes": len(result) + 4}]}, result + b"\0\0\0\0"); continue
                if mode == "wrongdtype":
                    wide = struct.pack("<%dd" % n, *struct.unpack("<%df" % n, result))
                    send({"type": "result", "id": rid, "payload_bytes": len(wide),
                          "outputs": [{"dtype": "f64", "shape": shape, "nbytes": len(wide)}]}, wide); continue
                if mode == "garbage":
                    out.write(b"x" * (3 << 20)); out.flush(); time.sleep(3600)
                if mode == "badnbytes":
                    send({"type": "result", "id": rid, "payload_bytes": len(result),
                          "outputs": [{"dtype": "f32", "shape": shape, "nbytes": len(result) + 1}]}, result); continue
            send({"type": "result", "id": rid, "payload_bytes": len(result), "outputs": [desc]}, result)
        elif t == "benchmark":
            count = h.get("samples", 1)
            if mode == "badsamples":
                count -= 1
            send({"type": "samples", "id": rid, "elapsed_ns": [1000.0 * h.get("k", 1)] * count, "timer": "host_monotonic",
                  "telemetry": [{"sm_clock_mhz": 1400, "power_w": None}] * count})
        elif t == "memory":
            send({"type": "memory", "id": rid, "total_bytes": 2048, "free_bytes": 1024})
        elif t == "shutdown":
            send({"type": "bye", "id": rid})
            sys.exit(0)
        else:
            send({"type": "error", "id": rid, "code": "invalid", "message": "unknown message type %r" % t})
    """#

    /// Writes the script into a fresh temporary folder; returns (script, marker) paths.
    static func install() throws -> (script: String, marker: String) {
        let folder = try TemporaryDirectory.make(prefix: "assay-fake-plugin")
        let file = folder.appendingPathComponent("fake_plugin.py")
        try FakePlugin.script.write(to: file, atomically: true, encoding: .utf8)
        return (file.path, folder.appendingPathComponent("misbehaved").path)
    }

    /// A backend on the fake plugin in `mode`, with short timeouts for tests.
    static func backend(_ mode: String, maxRestarts: Int = 3, requestTimeout: Double = 2) throws -> PluginBackend {
        let (script, marker) = try install()
        return PluginBackend(configuration: PluginConfiguration(
            command: ["python3", script, mode], environment: ["FAKE_MARKER": marker], device: "cpu",
            handshakeTimeoutSeconds: 10, requestTimeoutSeconds: requestTimeout, maxRestarts: maxRestarts))
    }
}
