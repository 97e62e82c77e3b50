"""The plugin of PluginBackendTests: relu f32 (with a device, runtime and telemetry in its
replies), misbehaving once, on its first execute, in the way its argument names; a marker file
(path in $FAKE_MARKER, which also proves the descriptor's env reaches the plugin) makes the
restarted process behave."""
import os, struct, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp

mode = sys.argv[1]


def hello(header, payload):
    if mode == "refuse":
        print("no such device", file=sys.stderr, flush=True)
        return {"type": "error", "id": None, "code": "unsupported", "message": "device missing"}
    reply = abp.hello(header, payload, name="fake")
    reply["devices"] = [{"index": 0, "name": "fake0", "kind": "cpu", "memory_bytes": 1024, "max_clock_mhz": 1500}]
    reply["runtime"] = {"python": "3", "build": 7}
    return reply


def execute(header, payload):
    reply = abp.relu(header, payload)
    if mode == "ok" or not isinstance(reply, tuple) or not abp.first_time("FAKE_MARKER"):
        return reply
    rid, (desc, result) = header["id"], reply
    n, shape = len(result) // 4, header["inputs"][0]["shape"]
    print("fake plugin misbehaving: " + mode, file=sys.stderr, flush=True)
    if mode == "exit":
        os._exit(3)
    if mode == "hang":
        time.sleep(3600)
    if mode == "malformed":
        abp.out.write(b'{"type": "result", "id": ' + str(rid).encode() + b', oops\n')
        abp.out.flush()
        return None
    if mode == "huge":
        return {"type": "result", "id": rid, "payload_bytes": 1 << 40,
                "outputs": [{"dtype": "f32", "shape": [1 << 38], "nbytes": 1 << 40}]}
    if mode == "wrongshape":
        return ({"type": "result", "id": rid, "payload_bytes": len(result) + 4,
                 "outputs": [{"dtype": "f32", "shape": [n + 1], "nbytes": len(result) + 4}]}, result + b"\0\0\0\0")
    if mode == "wrongdtype":
        wide = struct.pack("<%dd" % n, *struct.unpack("<%df" % n, result))
        return ({"type": "result", "id": rid, "payload_bytes": len(wide),
                 "outputs": [{"dtype": "f64", "shape": shape, "nbytes": len(wide)}]}, wide)
    if mode == "garbage":
        abp.out.write(b"x" * (3 << 20))
        abp.out.flush()
        time.sleep(3600)
    if mode == "badnbytes":
        return ({"type": "result", "id": rid, "payload_bytes": len(result),
                 "outputs": [{"dtype": "f32", "shape": shape, "nbytes": len(result) + 1}]}, result)
    return reply


def benchmark(header, payload):
    count = header.get("samples", 1) - (1 if mode == "badsamples" else 0)
    return {"type": "samples", "id": header["id"], "elapsed_ns": [1000.0 * header.get("k", 1)] * count,
            "timer": "host_monotonic", "telemetry": [{"sm_clock_mhz": 1400, "power_w": None}] * count}


abp.serve(hello=hello, execute=execute, benchmark=benchmark)
