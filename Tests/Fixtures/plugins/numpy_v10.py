"""The repository's numpy backend speaking ABP 1.0: its hello answers without `minor` and
`features` (none agreed, so no shm and no graphs), as a plugin written before 1.1 does."""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(REPO, "Backends", "python"))
from assay_backend.server import Server, protect_stdio  # noqa: E402

protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402


def agree_on_nothing(self, h):
    self.features = []
    return []


original_send = Server.send


def send_as_1_0(self, header, buffers=()):
    if header.get("type") == "hello":
        header = {k: v for k, v in header.items() if k not in ("minor", "features", "shm")}
    return original_send(self, header, buffers)


Server.agree = agree_on_nothing
Server.send = send_as_1_0
run(numpy_backend.NumpyBackend)
