import importlib.util
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from client import Client  # noqa: E402

HAVE_TORCH = importlib.util.find_spec("torch") is not None


def torch_cuda_available():
    if not HAVE_TORCH:
        return False
    try:
        import torch
        return torch.cuda.is_available()
    except Exception:
        return False


BACKENDS = {
    "numpy": (["numpy_backend.py"], {}),
    "torch-cpu": (["torch_backend.py", "--device", "cpu"], {}),
    "torch-cuda": (["torch_backend.py", "--device", "cuda"], {}),
}


def skip_reason(name):
    if name.startswith("torch") and not HAVE_TORCH:
        return "torch is not installed"
    if name == "torch-cuda" and not torch_cuda_available():
        return "no CUDA device"
    return None


def start(name):
    reason = skip_reason(name)
    if reason:
        pytest.skip(reason)
    argv, options = BACKENDS[name]
    return Client(argv, options=options)


@pytest.fixture(scope="module", params=list(BACKENDS))
def backend(request):
    client = start(request.param)
    client.name = request.param
    yield client
    assert client.close() == 0, client.stderr_text()


@pytest.fixture(scope="module")
def assay_backend_client(backend):
    """The SDK's op tests (assay_backend.testing) run here on the shipped backends."""
    return backend


@pytest.fixture
def numpy_client():
    client = Client(["numpy_backend.py"])
    yield client
    client.close()
