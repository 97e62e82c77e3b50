"""The plugin of SustainedLoadTests: the numpy backend whose matmul does its work three times
per call once the process has served benchmarks for a second (a third of the rate), like a device
that throttles under sustained load. Argument: the repository root."""
import os
import sys
import time

repo = sys.argv[1]
del sys.argv[1:]  # run() parses the command line
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import protect_stdio  # noqa: E402
protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402

started = []
original_prepare = numpy_backend.NumpyBackend.prepare


def prepare(self, op, dtype, attrs, inputs):
    fn = original_prepare(self, op, dtype, attrs, inputs)
    if not started:
        started.append(time.monotonic())

    def slowing():
        if time.monotonic() - started[0] > 1.0:
            fn()
            fn()
        return fn()
    return slowing


numpy_backend.NumpyBackend.prepare = prepare
run(numpy_backend.NumpyBackend)
