"""The numpy reference backend, slowed by busy-waiting a set fraction of each call.

ASSAY_SLOW_FRACTION (default 0) from the environment: every call of the op is timed and then
followed by a busy-wait of that fraction of its own duration, so the call takes (1 + fraction)
times as long however the machine's speed drifts. Used by Benchmarks/gate-calibration.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Backends", "python"))

from assay_backend import run  # noqa: E402
from numpy_backend import NumpyBackend  # noqa: E402


class SlowedNumpyBackend(NumpyBackend):
    name = "numpy-slowed"

    def prepare(self, op, dtype, attrs, inputs):
        fn = super(SlowedNumpyBackend, self).prepare(op, dtype, attrs, inputs)
        fraction = float(os.environ.get("ASSAY_SLOW_FRACTION", "0"))
        if fraction <= 0:
            return fn
        clock = time.perf_counter_ns

        def slowed():
            start = clock()
            out = fn()
            until = start + (clock() - start) * (1 + fraction)
            while clock() < until:  # busy-wait: the CPU stays occupied, as a slower kernel would
                pass
            return out
        return slowed


if __name__ == "__main__":
    run(SlowedNumpyBackend)
