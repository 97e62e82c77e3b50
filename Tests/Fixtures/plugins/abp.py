"""Hand-framed Assay Backend Protocol for the hostile-plugin fixtures (no numpy, no SDK).

Serves relu f32 correctly; each fixture overrides the handlers it misbehaves in. A handler
returns a reply header, a (header, payload) pair, or None when it wrote (or withheld) the
reply itself.
"""
import json
import os
import struct
import sys

inp, out = sys.stdin.buffer, sys.stdout.buffer


def send(header, payload=b""):
    out.write(json.dumps(header).encode() + b"\n" + payload)
    out.flush()


def hello(header, payload, capabilities=None, name="hostile"):
    return {"type": "hello", "protocol": 1, "backend": {"name": name, "version": "1"},
            "devices": [{"index": 0, "name": "cpu0", "kind": "cpu"}], "timer": "host_monotonic",
            "capabilities": capabilities if capabilities is not None else {"relu": ["f32"]}}


def relu(header, payload):
    if header.get("op") != "relu" or header.get("dtype") != "f32":
        return {"type": "error", "id": header.get("id"), "code": "unsupported", "message": "only relu f32"}
    n = len(payload) // 4
    values = struct.unpack("<%df" % n, payload)
    result = struct.pack("<%df" % n, *[v if v > 0 or v != v else 0.0 for v in values])
    return ({"type": "result", "id": header["id"], "payload_bytes": len(result),
             "outputs": [{"dtype": "f32", "shape": header["inputs"][0]["shape"], "nbytes": len(result)}]}, result)


def samples(header, payload):
    return {"type": "samples", "id": header["id"], "elapsed_ns": [1000.0] * header.get("samples", 1)}


def memory(header, payload):
    return {"type": "memory", "id": header["id"], "total_bytes": 2048, "free_bytes": 1024}


def shutdown(header, payload):
    send({"type": "bye", "id": header["id"]})
    sys.exit(0)


def first_time(marker_variable="FIXTURE_MARKER"):
    """True once per marker file (path in the environment), so a restarted plugin can behave."""
    marker = os.environ.get(marker_variable, "")
    if not marker or os.path.exists(marker):
        return False
    open(marker, "w").close()
    return True


def serve(**handlers):
    table = {"hello": hello, "execute": relu, "benchmark": samples, "memory": memory, "shutdown": shutdown}
    table.update(handlers)
    while True:
        line = inp.readline()
        if not line:
            sys.exit(0)
        try:
            header = json.loads(line)
        except ValueError:
            send({"type": "error", "id": None, "code": "invalid", "message": "bad json"})
            continue
        payload = inp.read(header.get("payload_bytes", 0) or 0)
        handler = table.get(header.get("type"))
        if handler is None:
            send({"type": "error", "id": header.get("id"), "code": "invalid", "message": "unknown type"})
            continue
        reply = handler(header, payload)
        if isinstance(reply, tuple):
            send(*reply)
        elif reply is not None:
            send(reply)
