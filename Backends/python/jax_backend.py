#!/usr/bin/env python3
"""Assay reference backend on JAX (jax.numpy, jax.nn, jax.lax; XLA): every op of docs/OPS.md.

    python3 Backends/python/jax_backend.py          # device from the hello (default: JAX's first)

A stand-in for a vendor's XLA/PJRT stack: each op is a jitted function computed in the case's
dtype as XLA compiles it (no widening beyond what a framework user would write: the norms
accumulate in float32 for f16/bf16, gelu and silu evaluate in float32 and round once), inputs live on the device, and a call only enqueues
work; `finish()` blocks on the result (block_until_ready), so a benchmark sample ends when
the last of its k calls has completed (docs/PROTOCOL.md, "Asynchronous runtimes").

Without jax importable the backend refuses the hello (`unsupported`), naming the import error.
Its known deviations from the catalogue are listed in Backends/python/README.md.
"""

import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":  # before any library can print to fd 1
    from assay_backend.server import protect_stdio
    protect_stdio()

import numpy as np  # noqa: E402

from assay_backend import Backend, Invalid, Unsupported, opspec, run  # noqa: E402

try:
    import jax
    jax.config.update("jax_enable_x64", True)  # f64 cases compute in float64
    import jax.numpy as jnp
    from jax import lax
    _JAX_IMPORT_ERROR = None
except Exception as _exc:  # pragma: no cover - reported on hello
    jax = jnp = lax = None
    _JAX_IMPORT_ERROR = "%s: %s" % (type(_exc).__name__, _exc)


def _jnp_dtype(dtype):
    return {"f64": jnp.float64, "f32": jnp.float32, "f16": jnp.float16, "bf16": jnp.bfloat16,
            "int8": jnp.int8, "int32": jnp.int32}[dtype]


def _acc(dtype):
    """Accumulation dtype for the norms: float32 for the half types, as frameworks do."""
    return jnp.float64 if dtype == "f64" else jnp.float32


HIGHEST = None if lax is None else lax.Precision.HIGHEST


# ------------------------------------------------------------------ the ops
# Each builder takes the validated call's attrs and returns a function of jax arrays.

def _matmul(a, dtype):
    def f(A, B):
        if a["transpose_a"]:
            A = jnp.swapaxes(A, -1, -2)
        if a["transpose_b"]:
            B = jnp.swapaxes(B, -1, -2)
        return jnp.matmul(A, B, precision=HIGHEST)
    return f


def _linear(a, dtype):
    def f(x, w, b=None):
        out = jnp.matmul(x, w.T, precision=HIGHEST)
        return out if b is None else out + b
    return f


def _conv2d(a, dtype):
    (ph, pw) = a["padding"]

    def f(x, w, b=None):
        out = lax.conv_general_dilated(x, w, window_strides=tuple(a["stride"]), padding=[(ph, ph), (pw, pw)],
                                       rhs_dilation=tuple(a["dilation"]), feature_group_count=a["groups"],
                                       dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=HIGHEST)
        return out if b is None else out + b.reshape(1, -1, 1, 1)
    return f


def _attention(a, dtype):
    def f(q, k, v):
        scores = jnp.matmul(q, jnp.swapaxes(k, -1, -2), precision=HIGHEST) * jnp.asarray(a["scale"], q.dtype)
        if a["causal"]:
            s, t = q.shape[-2], k.shape[-2]
            keep = jnp.arange(t)[None, :] <= jnp.arange(s)[:, None]  # top-left aligned
            scores = jnp.where(keep, scores, jnp.asarray(-jnp.inf, scores.dtype))
        return jnp.matmul(jax.nn.softmax(scores, axis=-1), v, precision=HIGHEST)
    return f


def _layer_norm(a, dtype):
    def f(x, w, b):
        xf = x.astype(_acc(dtype))
        mean = jnp.mean(xf, axis=-1, keepdims=True)
        var = jnp.mean(jnp.square(xf - mean), axis=-1, keepdims=True)
        out = (xf - mean) * lax.rsqrt(var + a["eps"]) * w.astype(xf.dtype) + b.astype(xf.dtype)
        return out.astype(x.dtype)
    return f


def _rms_norm(a, dtype):
    def f(x, w):
        xf = x.astype(_acc(dtype))
        out = xf * lax.rsqrt(jnp.mean(jnp.square(xf), axis=-1, keepdims=True) + a["eps"]) * w.astype(xf.dtype)
        return out.astype(x.dtype)
    return f


def _widened(dtype, fn):
    """An elementwise transcendental evaluated in float32 for f16/bf16 and rounded once (torch's
    opmath convention, which the catalogue's 1-ulp model assumes): XLA otherwise rounds every
    stage of gelu/silu to the narrow type, up to 1.9 ulp off (README.md, "Known deviations")."""
    acc = _acc(dtype)
    return lambda x: fn(x.astype(acc)).astype(x.dtype)


def _rotary(a, dtype):
    def f(x, cos, sin):
        c, s = cos[:, None, :], sin[:, None, :]
        if a["interleaved"]:
            x1, x2 = x[..., 0::2], x[..., 1::2]
            return jnp.stack([x1 * c - x2 * s, x2 * c + x1 * s], axis=-1).reshape(x.shape)
        half = x.shape[-1] // 2
        x1, x2 = x[..., :half], x[..., half:]
        return jnp.concatenate([x1 * c - x2 * s, x2 * c + x1 * s], axis=-1)
    return f


def _reduce(mean):
    def build(a, dtype):
        axes = tuple(a["axes"])
        if mean:
            return lambda x: jnp.mean(x, axis=axes, keepdims=a["keepdim"])
        return lambda x: jnp.sum(x, axis=axes, keepdims=a["keepdim"])
    return build


BUILDERS = {
    "matmul": _matmul,
    "linear": _linear,
    "conv2d": _conv2d,
    "scaled_dot_product_attention": _attention,
    "softmax": lambda a, d: lambda x: jax.nn.softmax(x, axis=a["axis"]),
    "log_softmax": lambda a, d: lambda x: jax.nn.log_softmax(x, axis=a["axis"]),
    "layer_norm": _layer_norm,
    "rms_norm": _rms_norm,
    "gelu": lambda a, d: _widened(d, lambda x: jax.nn.gelu(x, approximate=a["approximate"] == "tanh")),
    "silu": lambda a, d: _widened(d, jax.nn.silu),
    "relu": lambda a, d: jax.nn.relu,
    "add": lambda a, d: jnp.add,
    "mul": lambda a, d: jnp.multiply,
    "reduce_sum": _reduce(False),
    "reduce_mean": _reduce(True),
    "embedding": lambda a, d: lambda idx, w: jnp.take(w, idx, axis=0),
    "rotary_embedding": _rotary,
    "transpose": lambda a, d: lambda x: jnp.transpose(x, a["perm"]),
    "copy": lambda a, d: lambda x: jnp.array(x, copy=True),
    "matmul_int8": lambda a, d: lambda A, B: jnp.matmul(A, B, preferred_element_type=jnp.int32),
}


class JaxBackend(Backend):
    name = "jax"
    version = "1.0.0"

    def __init__(self, default_options=None):
        super(JaxBackend, self).__init__(default_options)
        self.device = None
        self._compiled = {}

    # ------------------------------------------------------------ handshake
    def configure(self, options):
        if jax is None:
            raise Unsupported("jax is not importable: %s" % (_JAX_IMPORT_ERROR,))
        spec = str(options.get("device") or "")
        platform_name, _, index = spec.partition(":")
        platform_name = {"cuda": "gpu", "rocm": "gpu"}.get(platform_name, platform_name)
        try:
            devices = jax.devices(platform_name) if platform_name else jax.devices()
        except RuntimeError as exc:
            raise Unsupported("jax has no %r device: %s" % (spec, exc))
        i = int(index) if index.isdigit() else 0
        if i >= len(devices):
            raise Unsupported("jax has %d %s device(s), not index %d" % (len(devices), platform_name, i))
        self.device = devices[i]
        self.options = options

    def describe(self):
        from assay_backend import host_memory
        d = self.device
        kind = "cpu" if d.platform == "cpu" else "gpu" if d.platform == "gpu" else d.platform
        memory = host_memory()[0] if kind == "cpu" else self._device_memory()[0]
        return {
            "devices": [{"index": d.id, "name": "%s %s" % (d.platform, d.device_kind), "kind": kind,
                         "memory_bytes": int(memory or 0), "driver": platform.platform(),
                         "runtime": "jax %s, jaxlib %s" % (jax.__version__, jax.lib.__version__)}],
            "timer": "host_monotonic",  # each sample waits for its last call (block_until_ready)
            "capabilities": opspec.capabilities(ops=BUILDERS),  # the ops implemented here (not yet issue 17's)
            "runtime": {"jax": jax.__version__, "backend": jax.default_backend(), "x64": "true"},
        }

    def _device_memory(self):
        stats = self.device.memory_stats() or {}
        total = stats.get("bytes_limit")
        return total, None if total is None else total - stats.get("bytes_in_use", 0)

    def memory(self):
        if self.device is None or self.device.platform == "cpu":
            return super(JaxBackend, self).memory()
        total, free = self._device_memory()
        if total is None:
            raise Unsupported("jax reports no memory statistics for %s" % (self.device,))
        return total, free

    # ----------------------------------------------------------------- ops
    def _to_device(self, array, dtype):
        """A wire array (bf16 as uint16 bits) on the device, in the case's jnp dtype."""
        array = np.asarray(array)
        if dtype == "bf16" and array.dtype == np.uint16:
            array = array.view(jnp.bfloat16)
        return jax.device_put(array, self.device)

    def _function(self, call):
        key = (call.op, call.dtype, json.dumps(call.attrs, sort_keys=True, default=str),
               tuple((s.dtype, s.shape) for s in call.inputs))
        fn = self._compiled.get(key)
        if fn is None:
            fn = jax.jit(BUILDERS[call.op](call.attrs, call.dtype))
            self._compiled = {key: fn}  # one case at a time: keep only the latest
        return fn

    def _build(self, op, dtype, attrs, inputs):
        call = opspec.check(op, dtype, attrs, inputs)
        if op == "embedding":  # XLA clamps out-of-range gathers: the catalogue says invalid
            idx, vocab = np.asarray(inputs[0]), inputs[1].shape[0]
            if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= vocab):
                raise Invalid("embedding: indices must lie in [0, %d), got [%d, %d]"
                              % (vocab, int(idx.min()), int(idx.max())))
        args = [self._to_device(x, s.dtype) for x, s in zip(inputs, call.inputs)]
        fn = self._function(call)
        return call, lambda: fn(*args)

    def prepare(self, op, dtype, attrs, inputs):
        return self._build(op, dtype, attrs, inputs)[1]

    def finish(self, result):
        jax.block_until_ready(result)

    def execute(self, op, dtype, attrs, inputs):
        call, fn = self._build(op, dtype, attrs, inputs)
        out = fn()
        if tuple(out.shape) != call.out_shape:  # internal consistency check
            raise RuntimeError("%s produced shape %s, expected %s" % (op, list(out.shape), list(call.out_shape)))
        return out  # a jax array: the SDK's framing reads it (bfloat16 included)


if __name__ == "__main__":
    run(JaxBackend)
