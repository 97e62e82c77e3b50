"""Issue 13.10: the numpy backend, except that every softmax request hangs.
Arguments: the repository root."""
import os, sys, time
repo = sys.argv.pop(1)
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import Server, protect_stdio  # noqa: E402
protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402

original = Server.on_execute


def hang_on_softmax(self, header, req_id, payload):
    if header.get("op") == "softmax":
        time.sleep(3600)
    return original(self, header, req_id, payload)


Server.on_execute = hang_on_softmax
run(numpy_backend.NumpyBackend)
