"""The numpy backend with an allocator peak for the model performance tests: `peak_memory` reads
Python's tracemalloc, which numpy reports its array buffers to, so `benchmark_graph` answers
with the host bytes a graph run held at its peak (the numpy backend itself reports none, as a
host backend has no device allocator; tracemalloc would slow its timing). Argument: the
repository root."""
import os
import sys
import tracemalloc

repo = sys.argv[1]
del sys.argv[1:]  # run() parses the command line
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import protect_stdio  # noqa: E402

protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402


class TracedPeak(numpy_backend.NumpyBackend):
    def peak_memory(self, reset=False):
        if reset:
            if not tracemalloc.is_tracing():
                tracemalloc.start()
            tracemalloc.reset_peak()
            return None
        return tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None


run(TracedPeak)
