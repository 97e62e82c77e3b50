"""Assay backend SDK: serve the Assay Backend Protocol v1 (ABP) from one Python class.

    from assay_backend import Backend, run, opspec

    class MyBackend(Backend):
        name, version = "mine", "0.1.0"
        def describe(self):
            return {"devices": [...], "timer": "host_monotonic",
                    "capabilities": {"relu": ["f32"]}}
        def execute(self, op, dtype, attrs, inputs):
            ...return a numpy array...

    if __name__ == "__main__":
        run(MyBackend)

See docs/PROTOCOL.md for the wire format and Backends/python/README.md.
"""

from . import opspec
from .attrs import Attrs
from .backend import Backend, index_range, random_inputs
from .dtypes import (FLOAT_DTYPES, WIRE_DTYPES, as_numpy, bf16_to_f32, f32_to_bf16, f64_to_bf16, from_float,
                     round_to, storage_dtype, to_float, wire_name)
from .errors import BackendError, Internal, Invalid, Unsupported, invalid, require, unsupported
from .framing import MAX_HEADER_BYTES, PROTOCOL, TensorSpec, decode_tensors, encode_tensors
from .server import protect_stdio, run, serve
from .timing import (HostCacheFlusher, NvmlTelemetry, collect_telemetry, collector_paused, cpu_flush_bytes,
                     host_memory, last_level_cache_bytes, log, now_ns, time_host)

__version__ = "1.0.0"

__all__ = [
    "Attrs", "Backend", "as_numpy", "BackendError", "FLOAT_DTYPES", "HostCacheFlusher", "Internal", "Invalid",
    "MAX_HEADER_BYTES", "NvmlTelemetry", "PROTOCOL", "TensorSpec", "Unsupported", "WIRE_DTYPES",
    "bf16_to_f32", "collect_telemetry", "collector_paused", "cpu_flush_bytes", "decode_tensors", "encode_tensors",
    "f32_to_bf16", "f64_to_bf16", "from_float", "host_memory", "index_range", "invalid",
    "last_level_cache_bytes", "log", "now_ns", "opspec", "protect_stdio", "random_inputs", "require",
    "round_to", "run", "serve", "storage_dtype", "time_host", "to_float", "unsupported", "wire_name",
]
