"""ABP v1 protocol behaviour of the numpy backend (and the SDK's dispatch loop)."""

import json
import subprocess
import sys

import numpy as np
import pytest

from client import PYDIR, Client

F32_2x3 = {"dtype": "f32", "shape": [2, 3], "nbytes": 24}


def test_handshake(numpy_client):
    h = numpy_client.hello_reply
    assert h["type"] == "hello" and h["protocol"] == 1
    assert h["backend"] == {"name": "numpy", "version": "1.0.0"}
    assert h["timer"] == "host_monotonic"
    dev = h["devices"][0]
    assert dev["index"] == 0 and dev["kind"] == "cpu" and dev["memory_bytes"] > 0 and dev["name"]
    assert h["runtime"]["numpy"] == np.__version__ and h["runtime"]["python"]
    caps = h["capabilities"]
    assert len(caps) == 31  # the whole catalogue (docs/OPS.md)
    assert caps["matmul"] == ["f64", "f32", "f16", "bf16"] and caps["matmul_int8"] == ["int8"]


def test_hello_may_repeat_and_echoes_id(numpy_client):
    reply, _ = numpy_client.request({"type": "hello", "protocol": 1, "options": {}, "future_field": [1, 2]})
    assert reply["type"] == "hello" and "capabilities" in reply


def test_protocol_mismatch_is_invalid_and_exits():
    c = Client(["numpy_backend.py"], hello=False)
    c.send({"type": "hello", "protocol": 2, "harness": "assay 9", "options": {}})
    reply, _ = c.recv()
    assert reply["type"] == "error" and reply["code"] == "invalid"
    assert c.proc.wait(timeout=30) != 0


def test_numpy_rejects_a_device():
    c = Client(["numpy_backend.py"], hello=False)
    reply = c.hello({"device": "cuda"})
    assert reply["type"] == "error" and reply["code"] == "unsupported"
    reply, _ = c.request({"type": "memory"})
    assert reply["code"] == "invalid"  # no successful hello yet
    assert c.hello({"device": "cpu"})["type"] == "hello"
    assert c.close() == 0


def test_request_before_hello_is_invalid():
    c = Client(["numpy_backend.py"], hello=False)
    reply, _ = c.request({"type": "execute", "op": "copy", "dtype": "f32", "attrs": {}},
                         [np.ones(3, np.float32)])
    assert reply["type"] == "error" and reply["code"] == "invalid"
    assert c.hello()["type"] == "hello"
    assert c.close() == 0


def test_unknown_op_is_unsupported_and_payload_consumed(numpy_client):
    reply, _ = numpy_client.request({"type": "execute", "op": "frobnicate", "dtype": "f32", "attrs": {}},
                                    [np.ones((2, 3), np.float32)])
    assert reply["type"] == "error" and reply["code"] == "unsupported" and reply["id"] == 1
    out = numpy_client.execute("copy", "f32", [np.arange(6, dtype=np.float32)])
    assert (out[0] == np.arange(6)).all()


@pytest.mark.parametrize("op,dtype,attrs", [
    ("matmul", "int8", {}),                         # dtype not in capabilities
    ("relu", "f32", {"inplace": True}),             # unknown attribute
    ("gelu", "f32", {"approximate": "sigmoid"}),    # attribute value not implemented
])
def test_unsupported_variants(numpy_client, op, dtype, attrs):
    x = np.ones((2, 3), np.int8 if dtype == "int8" else np.float32)
    inputs = [x, x] if op == "matmul" else [x]
    reply, _ = numpy_client.request({"type": "execute", "op": op, "dtype": dtype, "attrs": attrs}, inputs)
    assert reply["type"] == "error" and reply["code"] == "unsupported", reply


def test_malformed_json_is_invalid_and_keeps_serving(numpy_client):
    numpy_client.send_raw(b'{"type": "execute", "id": 5,,,\n')
    reply, _ = numpy_client.recv()
    assert reply == {"type": "error", "id": None, "code": "invalid", "message": reply["message"]}
    numpy_client.send_raw(b'[1, 2, 3]\n')
    assert numpy_client.recv()[0]["code"] == "invalid"
    numpy_client.send_raw(b'\xff\xfe\n')
    assert numpy_client.recv()[0]["code"] == "invalid"
    reply, _ = numpy_client.request({"type": "memory"})
    assert reply["type"] == "memory" and reply["total_bytes"] >= reply["free_bytes"] > 0


def test_oversized_header_is_invalid_and_keeps_serving(numpy_client):
    numpy_client.send_raw(b'{"type":"memory","pad":"' + b"x" * (1 << 20) + b'"}\n')
    assert numpy_client.recv()[0]["code"] == "invalid"
    assert numpy_client.request({"type": "memory"})[0]["type"] == "memory"


def test_wrong_nbytes_is_invalid(numpy_client):
    payload = np.ones((2, 3), np.float32).tobytes()
    hdr = {"type": "execute", "id": 3, "op": "copy", "dtype": "f32", "attrs": {},
           "inputs": [{"dtype": "f32", "shape": [2, 3], "nbytes": 20}], "payload_bytes": 24}
    numpy_client.send_raw(json.dumps(hdr).encode() + b"\n" + payload)
    reply, _ = numpy_client.recv()
    assert reply["id"] == 3 and reply["code"] == "invalid"
    # nbytes consistent but payload_bytes larger: still consumed, still invalid
    hdr = dict(hdr, id=4, inputs=[F32_2x3], payload_bytes=30)
    numpy_client.send_raw(json.dumps(hdr).encode() + b"\n" + payload + b"\0" * 6)
    reply, _ = numpy_client.recv()
    assert reply["id"] == 4 and reply["code"] == "invalid"
    assert numpy_client.execute("copy", "f32", [np.ones(2, np.float32)])[0].tolist() == [1, 1]


@pytest.mark.parametrize("header", [
    {"type": "teleport"},
    {"no_type": True},
    {"type": "execute", "op": "matmul", "dtype": "f32", "attrs": {},
     "inputs": [F32_2x3, F32_2x3], "payload_bytes": 48},                        # k mismatch
    {"type": "execute", "op": "copy", "dtype": "f32", "attrs": [], "inputs": [F32_2x3], "payload_bytes": 24},
    {"type": "execute", "op": "copy", "dtype": "f16", "attrs": {}, "inputs": [F32_2x3], "payload_bytes": 24},
    {"type": "benchmark", "op": "copy", "dtype": "f32", "inputs": [F32_2x3], "k": 0, "samples": 1},
    {"type": "benchmark", "op": "copy", "dtype": "f32", "inputs": [F32_2x3], "mode": "tepid"},
    {"type": "transfer", "direction": "sideways", "bytes": 10},
])
def test_invalid_requests(numpy_client, header):
    payload = b"\0" * header.get("payload_bytes", 0)
    header = dict(header, id=77)
    numpy_client.send_raw(json.dumps(header).encode() + b"\n" + payload)
    reply, _ = numpy_client.recv()
    assert reply["type"] == "error" and reply["code"] == "invalid" and reply["id"] == 77, reply
    assert numpy_client.request({"type": "memory"})[0]["type"] == "memory"


def test_bad_embedding_index_is_invalid(numpy_client):
    w = np.ones((4, 2), np.float32)
    reply, _ = numpy_client.request({"type": "execute", "op": "embedding", "dtype": "f32", "attrs": {}},
                                    [np.array([0, 4], np.int32), w])
    assert reply["code"] == "invalid"


@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_benchmark_returns_samples(numpy_client, mode):
    k = 3 if mode == "warm" else 1
    reply, _ = numpy_client.request({
        "type": "benchmark", "op": "matmul", "dtype": "f32", "attrs": {"transpose_b": True},
        "inputs": [{"dtype": "f32", "shape": [64, 32]}, {"dtype": "f32", "shape": [48, 32]}],
        "seed": 42, "mode": mode, "k": k, "samples": 4})
    assert reply["type"] == "samples" and reply["timer"] == "host_monotonic"
    assert len(reply["elapsed_ns"]) == 4 and all(x > 0 for x in reply["elapsed_ns"])
    assert "telemetry" not in reply


@pytest.mark.parametrize("op,dtype,inputs", [
    ("embedding", "bf16", [("int32", [64]), ("bf16", [100, 16])]),
    ("matmul_int8", "int8", [("int8", [16, 8]), ("int8", [8, 4])]),
    ("rotary_embedding", "f16", [("f16", [8, 2, 16]), ("f16", [8, 8]), ("f16", [8, 8])]),
    ("conv2d", "f32", [("f32", [1, 4, 8, 8]), ("f32", [8, 4, 3, 3])]),
])
def test_benchmark_generates_valid_inputs(numpy_client, op, dtype, inputs):
    reply, _ = numpy_client.request({
        "type": "benchmark", "op": op, "dtype": dtype, "attrs": {},
        "inputs": [{"dtype": d, "shape": s} for d, s in inputs], "seed": 7, "mode": "warm", "k": 2, "samples": 2})
    assert reply["type"] == "samples", reply
    assert all(x > 0 for x in reply["elapsed_ns"])


def test_benchmark_of_unknown_op_is_unsupported(numpy_client):
    reply, _ = numpy_client.request({"type": "benchmark", "op": "nope", "dtype": "f32", "inputs": [],
                                     "seed": 1, "mode": "warm", "k": 1, "samples": 1})
    assert reply["code"] == "unsupported"


def test_transfer_unsupported_without_device(numpy_client):
    reply, _ = numpy_client.request({"type": "transfer", "direction": "h2d", "bytes": 1 << 20,
                                     "pinned": True, "samples": 2})
    assert reply["code"] == "unsupported"


def test_shutdown_says_bye_and_exits_zero():
    c = Client(["numpy_backend.py"])
    c.send({"type": "shutdown", "id": 11})
    assert c.recv()[0] == {"type": "bye", "id": 11}
    assert c.proc.wait(timeout=30) == 0


def test_eof_exits_zero():
    c = Client(["numpy_backend.py"])
    c.proc.stdin.close()
    assert c.proc.wait(timeout=30) == 0
    assert c.proc.stdout.read() == b""


def test_stray_output_does_not_corrupt_stdout():
    c = Client(["tests/noisy_backend.py"])
    assert c.hello_reply["type"] == "hello" and c.hello_reply["backend"]["name"] == "noisy"
    for _ in range(2):
        out = c.execute("copy", "f32", [np.arange(5, dtype=np.float32)])
        assert out[0].tolist() == [0, 1, 2, 3, 4]
    assert c.close() == 0
    err = c.stderr_text()
    for noise in ("noise at import", "noise in describe", "noise in execute", "more noise",
                  "dunder noise", "raw fd 1 noise", "child noise"):
        assert noise in err, noise


def test_runs_under_a_wrapper_command():
    """Plugin commands may be wrapped (e.g. `ssh host ...`): a shell wrapper must work too."""
    proc = subprocess.run(
        ["sh", "-c", "exec %s numpy_backend.py" % sys.executable],
        input=b'{"type":"hello","protocol":1,"harness":"t","options":{}}\n{"type":"shutdown","id":1}\n',
        capture_output=True, cwd=PYDIR, timeout=60)
    lines = proc.stdout.split(b"\n")
    assert json.loads(lines[0])["type"] == "hello"
    assert json.loads(lines[1]) == {"type": "bye", "id": 1}
    assert proc.returncode == 0


def test_payload_over_plugin_limit_is_skipped():
    c = Client(["numpy_backend.py"], env={"ASSAY_MAX_PAYLOAD_BYTES": "16"})
    hdr = {"type": "execute", "id": 5, "op": "copy", "dtype": "f32", "attrs": {},
           "inputs": [{"dtype": "f32", "shape": [8], "nbytes": 32}], "payload_bytes": 32}
    c.send_raw(json.dumps(hdr).encode() + b"\n" + b"\0" * 32)
    reply, _ = c.recv()
    assert reply["id"] == 5 and reply["code"] == "invalid"
    assert c.execute("copy", "f32", [np.ones(2, np.float32)])[0].tolist() == [1, 1]
    assert c.close() == 0


def test_minimal_example_backend():
    from assay_backend import f32_to_bf16
    c = Client(["examples/minimal_backend.py"])
    assert c.hello_reply["capabilities"] == {"relu": ["f32", "bf16"], "add": ["f32"]}
    x = np.array([-1.5, 2.0, np.nan, -0.0], np.float32)
    out = c.execute("relu", "bf16", [f32_to_bf16(x)])[0]
    assert out.dtype == np.uint16 and out[1] == 0x4000 and out[0] == 0
    assert c.execute("add", "f32", [x, np.float32(1) + np.zeros((2, 4), np.float32)])[0].shape == (2, 4)
    reply, _ = c.request({"type": "execute", "op": "matmul", "dtype": "f32", "attrs": {}},
                         [np.ones((2, 2), np.float32)] * 2)
    assert reply["code"] == "unsupported"
    reply, _ = c.request({"type": "benchmark", "op": "relu", "dtype": "f32", "inputs": [{"dtype": "f32", "shape": [1000]}],
                          "seed": 1, "mode": "cold", "k": 1, "samples": 2})
    assert reply["type"] == "samples" and len(reply["elapsed_ns"]) == 2
    assert c.close() == 0
