"""The `Backend` base class: one class per backend.

Override `describe()` and `execute()`; optionally `configure()`, `prepare()`,
`make_inputs()`, `benchmark()`, `transfer()`, `memory()` and `close()`.
"""

import contextlib

import numpy as np

from .dtypes import FLOAT_DTYPES, from_float, storage_dtype
from .errors import Invalid, Unsupported
from .timing import HostCacheFlusher, collect_telemetry, collector_paused, host_memory, time_host


class Backend(object):
    #: reported in the hello reply as backend.name / backend.version
    name = "backend"
    version = "0.0.0"

    #: (key, inputs) of the latest benchmark request; a class default, so a subclass whose
    #: __init__ does not call this one's still has it.
    _input_cache = None

    def __init__(self, default_options=None):
        self.options = dict(default_options or {})

    def benchmark_inputs(self, op, dtype, attrs, specs, seed, make):
        """The inputs `make()` generates for this request, reused while the harness keeps asking for
        the same case: the sampler sends many requests per case, and generating (and allocating)
        the inputs afresh for each one costs more than the samples and moves the buffers around
        in memory, which shifts the timings from one request to the next. One entry only, dropped
        before the next case's inputs are made, so a backend never holds two cases' tensors."""
        key = repr((op, dtype, sorted((attrs or {}).items()), [(s.dtype, tuple(s.shape)) for s in specs], seed))
        if self._input_cache is not None and self._input_cache[0] == key:
            return self._input_cache[1]
        self._input_cache = None
        inputs = make()
        self._input_cache = (key, inputs)
        return inputs

    def forget_inputs(self):
        """Drops the cached benchmark inputs (after an error, e.g. out of memory)."""
        self._input_cache = None

    # ------------------------------------------------------------ handshake
    def configure(self, options):
        """Called with the hello's `options` (merged over command-line defaults)
        before describe(). Raise Unsupported if e.g. the requested device is absent."""
        self.options = options

    def describe(self):
        """Return {"devices": [...], "timer": "...", "capabilities": {op: [dtypes]}, "runtime": {...}}.

        `capabilities` must be truthful: the dispatch loop answers `unsupported`
        for any op/dtype pair outside it without calling execute()."""
        raise NotImplementedError

    # -------------------------------------------------------------- execute
    #: feature shm: the allocator over the request's output window while execute() runs
    #: (set by the dispatch loop), else None
    _shm_outputs = None

    def output_array(self, shape, dtype):
        """An uninitialised C-contiguous numpy array (storage dtype) for one of execute()'s
        results. Where the harness offered shared memory for outputs it lies there, and
        returning it sends it without a copy; otherwise it is a plain np.empty. Valid until
        the reply is sent."""
        outputs = self._shm_outputs
        arr = outputs.take(shape, dtype) if outputs is not None else None
        return arr if arr is not None else np.empty(shape, dtype)

    def execute(self, op, dtype, attrs, inputs):
        """Run one op. `inputs` are numpy arrays in storage dtypes (bf16 = uint16 bits).
        Return one numpy array or a list of them (bf16 results as uint16 bits)."""
        raise Unsupported("execute is not implemented")

    # ------------------------------------------------------------ benchmark
    def prepare(self, op, dtype, attrs, inputs):
        """Validate once and return a zero-argument callable that performs the op on
        `inputs` (as returned by make_inputs). Used by the default benchmark()."""
        return lambda: self.execute(op, dtype, attrs, inputs)

    def finish(self, result):
        """Waits until `result` (what the prepared callable returned) is computed. The default
        does nothing: a synchronous backend's call has completed when it returns. A runtime
        that dispatches asynchronously (JAX, CUDA streams) blocks here, e.g. with
        `result.block_until_ready()`; the default benchmark() calls it on the last of each
        sample's k calls, inside the timed region."""

    def make_inputs(self, op, dtype, attrs, specs, seed):
        """Random benchmark inputs for `specs` (TensorSpecs), host numpy by default."""
        return random_inputs(specs, seed)

    def telemetry(self):
        """One telemetry dict read right after a sample, or None."""
        return None

    def benchmark(self, op, dtype, attrs, inputs, seed, mode, k, samples):
        """Default: host inputs, host monotonic clock, host cache flush in cold mode.
        Returns {"elapsed_ns": [...], "timer": ..., "telemetry": [...]} (telemetry optional)."""
        arrays = self.benchmark_inputs(op, dtype, attrs, inputs, seed,
                                       lambda: self.make_inputs(op, dtype, attrs, inputs, seed))
        return self.time_calls(self.prepare(op, dtype, attrs, arrays), mode, k, samples)

    def time_calls(self, fn, mode, k, samples):
        """The sampling loop of `benchmark` (and `benchmark_graph`): one untimed warm-up call, then
        per sample (after a cache flush in cold mode) k back-to-back calls of fn on the host clock.
        Returns {"elapsed_ns": [...], "timer": ..., "telemetry": [...]} (telemetry optional)."""
        self.finish(fn())  # untimed warm-up (lazy initialisation, compilation, first-touch page faults)
        flusher = HostCacheFlusher() if mode == "cold" else None
        elapsed, reads = [], []
        with collector_paused():
            for _ in range(samples):
                if flusher is not None:
                    flusher.flush()
                elapsed.append(time_host(fn, k, self.finish))
                reads.append(self.telemetry())
        out = {"elapsed_ns": elapsed, "timer": "host_monotonic"}
        tele = collect_telemetry(reads)
        if tele:
            out["telemetry"] = tele
        return out

    # ------------------------------------------------------ feature graph
    # A backend runs graphs (assay_backend/graph.py) node by node through these hooks; the
    # defaults keep host numpy arrays and run each node through `prepare`, so every backend that
    # implements `execute` runs graphs. A device backend overrides them to keep tensors there.
    #: False keeps `graph` out of the features this backend offers in the hello
    graphs = True

    def graph_tensor(self, array, keep=False):
        """A host array (from the request) as this backend's tensor. `keep`: it must outlive
        the request (a weight), so it may not view the request's payload or shared region."""
        return np.array(array) if keep else array

    def graph_host(self, tensor):
        """A backend tensor back as a host numpy array in its storage dtype."""
        return np.asarray(tensor)

    def graph_op(self, node, tensors):
        """A zero-argument callable running one graph node (`node.op`, `node.dtype`,
        `node.attrs` as sent, `node.call` validated) on backend tensors."""
        return self.prepare(node.op, node.dtype, node.attrs, tensors)

    def graph_runner(self, graph, weights):
        """(run(inputs, expose) -> tensors, executor description) for a loaded graph."""
        return (lambda inputs, expose: graph.run(self, weights, inputs, expose)), "%s node by node" % self.name

    def graph_context(self):
        """A context manager around every graph run (torch: no autograd)."""
        return contextlib.nullcontext()

    def peak_memory(self, reset=False):
        """Peak device bytes the backend's allocator held since the last reset, or None when it
        cannot tell (host backends). `reset=True` starts a new window."""
        return None

    # ------------------------------------------------------- system checks
    def transfer(self, direction, nbytes, pinned, samples):
        """Host<->device copy timing: {"elapsed_ns": [...], "timer": ...}."""
        raise Unsupported("%s has no device to transfer to" % self.name)

    def memory(self):
        """(total_bytes, free_bytes) of the device's memory; host RAM by default."""
        return host_memory()

    def close(self):
        """Called once before the process exits (shutdown or EOF)."""


def random_inputs(specs, seed):
    """Benchmark inputs per the protocol: floats uniform in [-1,1) rounded to the dtype,
    int8 uniform in [-128,127], int32 uniform in [0, vocab) where vocab is the first dim of
    the next float input (embedding), bool uniform. Never all zeros."""
    rng = np.random.default_rng(int(seed) % (1 << 64))
    out = []
    for i, spec in enumerate(specs):
        shape = tuple(spec.shape)
        if spec.dtype in FLOAT_DTYPES:
            x = rng.random(shape, dtype=np.float32) * np.float32(2) - np.float32(1)
            if spec.dtype == "f64":
                x = rng.random(shape) * 2.0 - 1.0
            out.append(from_float(x, spec.dtype))
        elif spec.dtype == "int8":
            out.append(rng.integers(-128, 128, size=shape, dtype=np.int8))
        elif spec.dtype == "int32":
            vocab = index_range(specs, i)
            out.append(rng.integers(0, vocab, size=shape, dtype=np.int32))
        elif spec.dtype == "bool":
            out.append(rng.integers(0, 2, size=shape, dtype=np.int8).astype(bool))
        else:
            storage_dtype(spec.dtype)
            raise Invalid("cannot generate dtype %s" % spec.dtype)
    return out


def index_range(specs, i):
    """Upper bound for random int32 inputs at position i: the first dim of the next
    non-integer input (the embedding table), else 2**31 - 1."""
    for spec in list(specs[i + 1:]) + list(specs[:i]):
        if spec.dtype in FLOAT_DTYPES and len(spec.shape) >= 1 and spec.shape[0] > 0:
            return spec.shape[0]
    return (1 << 31) - 1
