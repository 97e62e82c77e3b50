"""torch backend specifics: skipped cleanly without torch; GPU tests skipped without CUDA."""

import importlib.util

import numpy as np
import pytest

from client import Client
from conftest import HAVE_TORCH, torch_cuda_available

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed")
needs_cuda = pytest.mark.skipif(not torch_cuda_available(), reason="no CUDA device")

BENCH = {"type": "benchmark", "op": "matmul", "dtype": "bf16", "attrs": {},
         "inputs": [{"dtype": "bf16", "shape": [256, 256]}, {"dtype": "bf16", "shape": [256, 256]}],
         "seed": 42, "mode": "warm", "k": 4, "samples": 3}


@pytest.fixture(scope="module")
def torch_cpu():
    c = Client(["torch_backend.py", "--device", "cpu"])
    yield c
    assert c.close() == 0


def test_cpu_handshake(torch_cpu):
    h = torch_cpu.hello_reply
    assert h["backend"]["name"] == "torch" and h["timer"] == "host_monotonic"
    assert h["devices"][0]["kind"] == "cpu" and "torch" in h["runtime"]
    assert set(h["capabilities"]) >= {"matmul", "conv2d", "scaled_dot_product_attention", "matmul_int8"}


@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_cpu_benchmark(torch_cpu, mode):
    reply, _ = torch_cpu.request(dict(BENCH, mode=mode, k=1 if mode == "cold" else 4))
    assert reply["type"] == "samples" and reply["timer"] == "host_monotonic"
    assert len(reply["elapsed_ns"]) == 3 and all(x > 0 for x in reply["elapsed_ns"])


def test_cpu_benchmark_embedding_and_int8(torch_cpu):
    for op, dtype, inputs in (("embedding", "f16", [("int32", [128]), ("f16", [1000, 64])]),
                              ("matmul_int8", "int8", [("int8", [64, 64]), ("int8", [64, 64])])):
        reply, _ = torch_cpu.request({"type": "benchmark", "op": op, "dtype": dtype, "attrs": {},
                                      "inputs": [{"dtype": d, "shape": s} for d, s in inputs],
                                      "seed": 3, "mode": "warm", "k": 2, "samples": 2})
        assert reply["type"] == "samples", reply


def test_cpu_transfer_unsupported_and_memory(torch_cpu):
    assert torch_cpu.request({"type": "transfer", "direction": "d2h", "bytes": 4096, "pinned": False,
                              "samples": 1})[0]["code"] == "unsupported"
    mem, _ = torch_cpu.request({"type": "memory"})
    assert mem["total_bytes"] >= mem["free_bytes"] > 0


def test_cpu_embedding_out_of_range_is_invalid(torch_cpu):
    reply, _ = torch_cpu.request({"type": "execute", "op": "embedding", "dtype": "f32", "attrs": {}},
                                 [np.array([-1], np.int32), np.ones((3, 2), np.float32)])
    assert reply["code"] == "invalid"


def test_hello_option_selects_device():
    c = Client(["torch_backend.py", "--device", "cuda:7"], options={"device": "cpu"})
    assert c.hello_reply["type"] == "hello" and c.hello_reply["devices"][0]["kind"] == "cpu"
    assert c.close() == 0


def test_unknown_device_is_unsupported():
    c = Client(["torch_backend.py"], hello=False)
    reply = c.hello({"device": "npu:0"})
    assert reply["type"] == "error" and reply["code"] == "unsupported"
    reply = c.hello({"device": "cpu"})
    assert reply["type"] == "hello"
    assert c.close() == 0


# ----------------------------------------------------------------- CUDA only

@pytest.fixture(scope="module")
def torch_cuda():
    if not torch_cuda_available():
        pytest.skip("no CUDA device")
    c = Client(["torch_backend.py", "--device", "cuda"])
    yield c
    assert c.close() == 0


@needs_cuda
def test_cuda_handshake(torch_cuda):
    h = torch_cuda.hello_reply
    dev = h["devices"][0]
    assert h["timer"] == "cuda_event" and dev["kind"] == "gpu" and dev["memory_bytes"] > 0
    assert dev["runtime"].startswith(("cuda", "hip"))
    if importlib.util.find_spec("pynvml") is not None:
        assert dev["max_clock_mhz"] > 0 and dev.get("driver")


@needs_cuda
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_cuda_benchmark(torch_cuda, mode):
    reply, _ = torch_cuda.request(dict(BENCH, mode=mode, k=1 if mode == "cold" else 10, samples=5))
    assert reply["type"] == "samples" and reply["timer"] == "cuda_event"
    assert len(reply["elapsed_ns"]) == 5 and all(x > 0 for x in reply["elapsed_ns"])
    tele = reply.get("telemetry")
    if tele is not None:
        assert len(tele) == 5 and all(isinstance(t, dict) for t in tele)


@needs_cuda
@pytest.mark.parametrize("direction", ["h2d", "d2h"])
@pytest.mark.parametrize("pinned", [True, False])
def test_cuda_transfer(torch_cuda, direction, pinned):
    reply, _ = torch_cuda.request({"type": "transfer", "direction": direction, "bytes": 64 << 20,
                                   "pinned": pinned, "samples": 3})
    assert reply["type"] == "samples" and len(reply["elapsed_ns"]) == 3
    assert all(x > 0 for x in reply["elapsed_ns"])
    gbps = (64 << 20) / (min(reply["elapsed_ns"]) * 1e-9) / 1e9
    assert gbps > 0.5


@needs_cuda
def test_cuda_memory(torch_cuda):
    mem, _ = torch_cuda.request({"type": "memory"})
    assert mem["total_bytes"] > mem["free_bytes"] > 0


def test_cpu_samples_are_timed_with_the_garbage_collector_paused():
    import gc
    import torch_backend

    backend = torch_backend.TorchBackend({"device": "cpu"})
    backend.configure({"device": "cpu"})
    backend.describe()
    seen = []
    backend._time_samples(lambda: seen.append(gc.isenabled()), 2, 3, cold=False)
    assert seen == [False] * 6 and gc.isenabled()
