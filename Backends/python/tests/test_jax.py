"""The JAX backend (jax_backend.py): its op results go through the op tests like the
others (`pytest --assay-backend jax_backend:JaxBackend`); here, what is its own. Skipped
when jax is not importable, except the refusal that names the missing import."""

import importlib.util

import numpy as np
import pytest

from assay_backend import f32_to_bf16
from client import Client

HAVE_JAX = importlib.util.find_spec("jax") is not None
needs_jax = pytest.mark.skipif(not HAVE_JAX, reason="jax is not installed")


def test_without_jax_the_hello_is_refused_naming_it(tmp_path):
    fake = tmp_path / "jax"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('no jaxlib for this machine')\n")
    c = Client(["jax_backend.py"], env={"PYTHONPATH": str(tmp_path)}, hello=False)
    reply = c.hello({"device": "cpu"})
    assert reply["type"] == "error" and reply["code"] == "unsupported", reply
    assert "jax is not importable" in reply["message"] and "no jaxlib" in reply["message"]
    assert c.close() == 0


@pytest.fixture(scope="module")
def jax_client():
    c = Client(["jax_backend.py"], options={"device": "cpu"})
    yield c
    assert c.close() == 0, c.stderr_text()


@needs_jax
def test_hello_claims_the_catalogue_on_the_cpu(jax_client):
    reply = jax_client.hello_reply
    assert reply["type"] == "hello" and reply["backend"]["name"] == "jax"
    assert reply["devices"][0]["kind"] == "cpu" and reply["capabilities"]["matmul"] == ["f64", "f32", "f16", "bf16"]


@needs_jax
def test_bf16_results_come_back_as_their_bits(jax_client):
    x = np.array([1.5, -2.0, 0.0, 3.0], dtype=np.float32)
    out = jax_client.execute("relu", "bf16", [f32_to_bf16(x)])[0]
    assert out.dtype == np.uint16 and (out == f32_to_bf16(np.maximum(x, 0))).all()


@needs_jax
def test_out_of_range_embedding_is_invalid_not_clamped(jax_client):
    table = np.ones((4, 2), np.float32)
    reply, _ = jax_client.request({"type": "execute", "op": "embedding", "dtype": "f32", "attrs": {}},
                                  [np.array([0, 4], np.int32), table])
    assert reply["type"] == "error" and reply["code"] == "invalid" and "[0, 4)" in reply["message"]


@needs_jax
def test_benchmark_samples_each_k_calls(jax_client):
    reply, _ = jax_client.request({"type": "benchmark", "op": "matmul", "dtype": "f32", "attrs": {},
                                   "inputs": [{"dtype": "f32", "shape": [64, 64]}, {"dtype": "f32", "shape": [64, 64]}],
                                   "seed": 1, "mode": "warm", "k": 3, "samples": 4})
    assert reply["type"] == "samples" and reply["timer"] == "host_monotonic", reply
    assert len(reply["elapsed_ns"]) == 4 and all(t > 0 for t in reply["elapsed_ns"])
