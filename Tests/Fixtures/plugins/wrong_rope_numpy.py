"""The numpy backend with one wrong op for the model tests: rotary_embedding uses the other
pairing convention (adjacent pairs instead of halves), in `execute` and in graphs alike.
Argument: the repository root."""
import os
import sys

repo = sys.argv[1]
del sys.argv[1:]  # run() parses the command line
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import protect_stdio  # noqa: E402

protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402


class WrongRope(numpy_backend.NumpyBackend):
    def _build(self, op, dtype, attrs, inputs):
        if op == "rotary_embedding":
            attrs = dict(attrs, interleaved=not attrs.get("interleaved", False))
        return numpy_backend.NumpyBackend._build(self, op, dtype, attrs, inputs)


run(WrongRope)
