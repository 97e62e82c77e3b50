#!/usr/bin/env python3
"""A complete, minimal Assay backend: relu (f32, bf16) and add (f32) on numpy.

    python3 Backends/python/examples/minimal_backend.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # for assay_backend
from assay_backend.server import protect_stdio  # noqa: E402

protect_stdio()  # before importing anything that might print to stdout

import numpy as np  # noqa: E402

from assay_backend import Backend, Unsupported, from_float, opspec, run, to_float  # noqa: E402


class MinimalBackend(Backend):
    name = "minimal"
    version = "0.1.0"

    def configure(self, options):  # the hello's options (device, ...)
        if options.get("device") not in (None, "cpu"):
            raise Unsupported("only the cpu")
        self.options = options

    def describe(self):
        return {
            "devices": [{"index": 0, "name": "my cpu", "kind": "cpu", "memory_bytes": 0}],
            "timer": "host_monotonic",
            "capabilities": {"relu": ["f32", "bf16"], "add": ["f32"]},
        }

    def execute(self, op, dtype, attrs, inputs):
        opspec.check(op, dtype, attrs, inputs)          # OPS.md validation (shapes, dtypes, attrs)
        x = [to_float(a, np.float64) for a in inputs]   # bf16 arrives as uint16 bit patterns
        if op == "relu":
            out = np.where(np.isnan(x[0]) | (x[0] > 0), x[0], 0.0)
        else:
            out = x[0] + x[1]
        return from_float(out, dtype)                   # round once to the case dtype


if __name__ == "__main__":
    run(MinimalBackend)
