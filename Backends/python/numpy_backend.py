#!/usr/bin/env python3
"""Assay reference backend on numpy (host CPU): every op of docs/OPS.md.

    python3 Backends/python/numpy_backend.py

Numerics:
  * f64 cases compute in float64.
  * f32/f16/bf16 cases: matmul, linear, conv2d and attention upcast to float32 and
    run on BLAS (float32 accumulation, as a real library does); every other op
    computes in float64. Either way the result is rounded once to the case dtype
    (round to nearest even; bf16 via one correct rounding).
  * gelu uses a vectorised erfc (Cephes coefficients), accurate to ~1e-14 relative.
"""

import math
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":  # before any library can print to fd 1
    from assay_backend.server import protect_stdio
    protect_stdio()

import numpy as np  # noqa: E402

from assay_backend import (Backend, Invalid, from_float, opspec, run, storage_dtype, to_float)  # noqa: E402
from assay_backend.ring import RingCollectives  # noqa: E402

# ----------------------------------------------------------------- erf/erfc

_P = [2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
      4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
      9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2]
_Q = [1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
      9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
      1.65666309194161350182e3, 5.57535340817727675546e2]
_R = [5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
      6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0]
_S = [1.0, 2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
      1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0]
_T = [9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
      7.00332514112805075473e3, 5.55923013010394962768e4]
_U = [1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
      2.26290000613890934246e4, 4.92673942608635921086e4]


def _poly(x, coeffs):
    acc = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        acc *= x
        acc += c
    return acc


def _exp_neg_sq(x):
    """exp(-x*x) without the error of rounding x*x (x split into a 2^-16 grid part)."""
    hi = np.floor(x * 65536.0 + 0.5) / 65536.0
    lo = x - hi
    return np.exp(-hi * hi) * np.exp(-(2.0 * hi * lo + lo * lo))


def _erf_small(x):
    z = x * x
    return x * _poly(z, _T) / _poly(z, _U)


def _erfc_large(ax):
    """erfc(ax) for 1 <= ax (finite or inf); 0 beyond the underflow point."""
    out = np.zeros_like(ax)
    mid = ax < 8.0
    far = (ax >= 8.0) & (ax < 27.0)
    a = ax[mid]
    out[mid] = _exp_neg_sq(a) * _poly(a, _P) / _poly(a, _Q)
    a = ax[far]
    out[far] = _exp_neg_sq(a) * _poly(a, _R) / _poly(a, _S)
    return out


def erfc(x):
    """Vectorised float64 erfc (Cephes ndtr.c algorithm, ~1e-15 relative)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        ax = np.abs(x)
        small = ax < 1.0
        large = ~small & ~np.isnan(x)
        out[small] = 1.0 - _erf_small(x[small])
        yl = _erfc_large(ax[large])
        xl = x[large]
        out[large] = np.where(xl < 0, 2.0 - yl, yl)
        out[np.isnan(x)] = np.nan
    return out


def erf(x):
    """Vectorised float64 erf."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        small = np.abs(x) <= 1.0
        out[small] = _erf_small(x[small])
        rest = ~small
        out[rest] = 1.0 - erfc(x[rest])
    return out


# ------------------------------------------------------------------ helpers

def _heavy(dtype):
    """Compute dtype for BLAS-bound ops (float32 accumulation for f32/f16/bf16)."""
    return np.float64 if dtype == "f64" else np.float32


def _f64(x):
    return to_float(x, np.float64)


def _out(x, dtype):
    return from_float(x, dtype)


def _matmul(call, A, B):
    ct = _heavy(call.dtype)
    a = to_float(A, ct)
    b = to_float(B, ct)
    if call.attrs["transpose_a"]:
        a = np.swapaxes(a, -1, -2)
    if call.attrs["transpose_b"]:
        b = np.swapaxes(b, -1, -2)
    out = np.matmul(a, b)
    return _out(out.reshape(call.out_shape), call.dtype)


def _linear(call, x, w, bias=None):
    ct = _heavy(call.dtype)
    out = np.matmul(to_float(x, ct), to_float(w, ct).T)
    if bias is not None:
        out = out + to_float(bias, ct)
    return _out(out.reshape(call.out_shape), call.dtype)


_CONV_CHUNK_BYTES = 256 << 20


def _conv2d(call, x, w, bias=None):
    ct = _heavy(call.dtype)
    a = call.attrs
    (sh, sw), (ph, pw), (dh, dw), g = a["stride"], a["padding"], a["dilation"], a["groups"]
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh, ow = call.out_shape[2], call.out_shape[3]
    fg = f // g
    kc = cg * kh * kw
    out = np.empty((n, f, oh, ow), dtype=ct)
    wf = to_float(w, ct).reshape(g, fg, kc).transpose(0, 2, 1)  # [g, kc, fg]
    if n and f:
        if kc == 0:
            out[...] = 0
        else:
            per_image = oh * ow * c * kh * kw * np.dtype(ct).itemsize
            chunk = max(1, int(_CONV_CHUNK_BYTES // max(per_image, 1)))
            for i0 in range(0, n, chunk):
                xs = to_float(x[i0:i0 + chunk], ct)
                nb = xs.shape[0]
                if ph or pw:
                    xs = np.pad(xs, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
                eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
                win = np.lib.stride_tricks.sliding_window_view(xs, (eh, ew), axis=(2, 3))
                # [nb, c, H', W', eh, ew] -> sample output positions and kernel taps
                win = win[:, :, ::sh, ::sw, ::dh, ::dw][:, :, :oh, :ow]
                win = win.reshape(nb, g, cg, oh, ow, kh, kw)
                cols = win.transpose(1, 0, 3, 4, 2, 5, 6).reshape(g, nb * oh * ow, kc)
                res = np.matmul(cols, wf)  # [g, nb*oh*ow, fg]
                res = res.reshape(g, nb, oh, ow, fg).transpose(1, 0, 4, 2, 3).reshape(nb, f, oh, ow)
                out[i0:i0 + nb] = res
    else:
        out[...] = 0
    if bias is not None:
        out = out + to_float(bias, ct).reshape(1, f, 1, 1)
    return _out(out, call.dtype)


def _softmax_rows(s, axis):
    m = np.max(s, axis=axis, keepdims=True)
    e = np.exp(s - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def _attention(call, q, k, v):
    ct = _heavy(call.dtype)
    qf, kf, vf = to_float(q, ct), to_float(k, ct), to_float(v, ct)
    s, t = qf.shape[-2], kf.shape[-2]
    if t == 0 or int(np.prod(call.out_shape)) == 0:
        return _out(np.zeros(call.out_shape, dtype=ct), call.dtype)
    scale = ct(call.attrs["scale"])
    scores = np.matmul(qf, np.swapaxes(kf, -1, -2)) * scale
    causal = call.attrs["causal"]
    if causal:
        keep = np.arange(t)[None, :] <= np.arange(s)[:, None]  # [s, t], top-left aligned
        scores = np.where(keep, scores, ct(-np.inf))
    p = _softmax_rows(scores, -1)
    out = np.matmul(p, vf)
    if causal and not np.isfinite(vf).all():
        # masked keys must not leak NaN/inf from v through 0*inf: redo row by row
        for i in range(s):
            j = min(i + 1, t)
            out[..., i, :] = np.matmul(p[..., i:i + 1, :j], vf[..., :j, :])[..., 0, :]
    return _out(out, call.dtype)


def _softmax(call, x):
    if x.size == 0:
        return x.copy()
    xf = _f64(x)
    return _out(_softmax_rows(xf, call.attrs["axis"]), call.dtype)


def _log_softmax(call, x):
    if x.size == 0:
        return x.copy()
    xf = _f64(x)
    axis = call.attrs["axis"]
    m = np.max(xf, axis=axis, keepdims=True)
    sh = xf - m
    return _out(sh - np.log(np.sum(np.exp(sh), axis=axis, keepdims=True)), call.dtype)


def _layer_norm(call, x, w, b):
    if x.size == 0:
        return x.copy()
    xf = _f64(x)
    mean = np.mean(xf, axis=-1, keepdims=True)
    d = xf - mean
    var = np.mean(d * d, axis=-1, keepdims=True)
    out = d / np.sqrt(var + call.attrs["eps"]) * _f64(w) + _f64(b)
    return _out(out, call.dtype)


def _rms_norm(call, x, w):
    if x.size == 0:
        return x.copy()
    xf = _f64(x)
    ms = np.mean(xf * xf, axis=-1, keepdims=True)
    return _out(xf / np.sqrt(ms + call.attrs["eps"]) * _f64(w), call.dtype)


_SQRT_HALF = math.sqrt(0.5)
_CHUNK = 1 << 15
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _gelu(call, x):
    xf = _f64(x)
    if call.attrs["approximate"] == "tanh":
        inner = _SQRT_2_OVER_PI * (xf + 0.044715 * xf * xf * xf)
        out = 0.5 * xf * (1.0 + np.tanh(inner))
    else:
        out = np.empty_like(xf)
        flat_in, flat_out = xf.reshape(-1), out.reshape(-1)
        for i in range(0, flat_in.size, _CHUNK):  # cache-sized chunks: ~4x faster
            c = flat_in[i:i + _CHUNK]
            flat_out[i:i + _CHUNK] = 0.5 * c * erfc(-c * _SQRT_HALF)
    out = np.where(xf == -np.inf, -0.0, out)     # lim x->-inf gelu(x) = -0
    return _out(out, call.dtype)


def _silu(call, x):
    xf = _f64(x)
    out = xf / (1.0 + np.exp(-xf))
    out = np.where(xf == -np.inf, -0.0, out)     # lim x->-inf silu(x) = -0
    return _out(out, call.dtype)


def _relu(call, x):
    xf = _f64(x)
    return _out(np.where(np.isnan(xf) | (xf > 0), xf, 0.0), call.dtype)


def _add(call, a, b):
    # One IEEE operation is correctly rounded in its operands' own format, so f64/f32/f16 need no
    # widening (and the benchmark then times numpy's own kernel); bf16 travels as uint16 bits.
    if call.dtype != "bf16":
        return np.add(a, b)
    return _out(_f64(a) + _f64(b), call.dtype)


def _mul(call, a, b):
    if call.dtype != "bf16":
        return np.multiply(a, b)
    return _out(_f64(a) * _f64(b), call.dtype)


def _reduce_sum(call, x):
    axes = tuple(call.attrs["axes"])
    out = np.sum(_f64(x), axis=axes, keepdims=call.attrs["keepdim"])
    return _out(np.asarray(out), call.dtype)


def _reduce_mean(call, x):
    axes = tuple(call.attrs["axes"])
    xf = _f64(x)
    if call.attrs["count"] == 0:
        out = np.full(call.out_shape, np.nan)
    else:
        out = np.mean(xf, axis=axes, keepdims=call.attrs["keepdim"])
    return _out(np.asarray(out), call.dtype)


def _embedding(call, idx, w):
    vocab = w.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= vocab):
        raise Invalid("embedding: indices must lie in [0, %d), got [%d, %d]"
                      % (vocab, int(idx.min()), int(idx.max())))
    return np.ascontiguousarray(w[idx.astype(np.intp)])


def _rotary(call, x, cos, sin):
    xf = _f64(x)
    c = _f64(cos)[:, None, :]
    s = _f64(sin)[:, None, :]
    half = xf.shape[-1] // 2
    out = np.empty_like(xf)
    if call.attrs["interleaved"]:
        x1, x2 = xf[..., 0::2], xf[..., 1::2]
        out[..., 0::2] = x1 * c - x2 * s
        out[..., 1::2] = x2 * c + x1 * s
    else:
        x1, x2 = xf[..., :half], xf[..., half:]
        out[..., :half] = x1 * c - x2 * s
        out[..., half:] = x2 * c + x1 * s
    return _out(out, call.dtype)


def _transpose(call, x):
    return np.transpose(x, call.attrs["perm"]).copy(order="C")


def _copy(call, x):
    return np.array(x, copy=True, order="C")


# Ops that write their result into a given array (Backend.output_array: with shared memory,
# the result is computed in the harness's window and crosses without a copy).
INTO = {"copy": lambda call, x, out: np.copyto(out, x)}


def _matmul_int8(call, A, B):
    k = call.attrs["k"]
    # every partial sum is an integer of magnitude <= 16384*k: exact in float32 while
    # below 2^24 (k <= 1024) and in float64 for any realistic k (< 5e11)
    ct = np.float32 if k <= 1024 else np.float64
    out = np.matmul(A.astype(ct), B.astype(ct))
    return out.astype(np.int64).astype(np.int32)


# ------------------------------------------------ ops model graphs add (issue 17)
# Data movement works on the storage arrays (bf16 as uint16 bits): bit for bit in every dtype.

def _reshape(call, x):
    return np.array(x, copy=True, order="C").reshape(call.out_shape)


def _concat(call, *pieces):
    return np.concatenate(pieces, axis=call.attrs["axis"])


def _slice(call, x):
    a = call.attrs
    index = [slice(None)] * x.ndim
    index[a["axis"]] = slice(a["start"], a["end"])
    return np.ascontiguousarray(x[tuple(index)])


def _gather(call, x, idx):
    length = call.attrs["length"]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= length):
        raise Invalid("gather: indices must lie in [0, %d), got [%d, %d]" % (length, int(idx.min()), int(idx.max())))
    return np.ascontiguousarray(np.take(x, idx.astype(np.intp), axis=call.attrs["axis"]))


def _repeat_interleave(call, x):
    return np.repeat(x, call.attrs["repeats"], axis=call.attrs["axis"])


def _order(call, x):
    """Positions along the axis, largest first: NaN above every number, ties by position (stable)."""
    xf = _f64(x)
    axis = call.attrs["axis"]
    # lexsort is stable and sorts by its last key first: NaN-ness, then the negated value.
    return np.lexsort((-xf, ~np.isnan(xf)), axis=axis) if xf.size else np.zeros(xf.shape, dtype=np.intp)


def _argmax(call, x):
    if x.size == 0:
        return np.zeros(call.out_shape, dtype=np.int32)
    out = np.argmax(_f64(x), axis=call.attrs["axis"], keepdims=call.attrs["keepdim"])
    return out.astype(np.int32)


def _topk(call, x):
    order = _order(call, x)
    index = [slice(None)] * x.ndim
    index[call.attrs["axis"]] = slice(0, call.attrs["k"])
    return np.ascontiguousarray(order[tuple(index)]).astype(np.int32)


def _where(call, cond, a, b):
    return np.where(cond, a, b)


def _masked_fill(call, x, mask):
    value = from_float(np.array([call.attrs["value"]], dtype=np.float64), call.dtype)[0]
    return np.where(mask, value, x).astype(x.dtype)


def _cast(call, x):
    # from float64 (exact for every input) the value is rounded once into the target
    return from_float(_f64(x), call.attrs["to"])


def _batch_norm(call, x, mean, var, w, b):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    scale = 1.0 / np.sqrt(_f64(var) + call.attrs["eps"])
    out = (_f64(x) - _f64(mean).reshape(shape)) * (scale * _f64(w)).reshape(shape) + _f64(b).reshape(shape)
    return _out(out, call.dtype)


OPS = {
    "matmul": _matmul,
    "linear": _linear,
    "conv2d": _conv2d,
    "scaled_dot_product_attention": _attention,
    "softmax": _softmax,
    "log_softmax": _log_softmax,
    "layer_norm": _layer_norm,
    "rms_norm": _rms_norm,
    "gelu": _gelu,
    "silu": _silu,
    "relu": _relu,
    "add": _add,
    "mul": _mul,
    "reduce_sum": _reduce_sum,
    "reduce_mean": _reduce_mean,
    "embedding": _embedding,
    "rotary_embedding": _rotary,
    "transpose": _transpose,
    "copy": _copy,
    "matmul_int8": _matmul_int8,
}
# the ops model graphs add (issue 17), each implemented by the function named after it
OPS.update((op, globals()["_" + op]) for op in ("reshape", "concat", "slice", "gather", "repeat_interleave", "argmax",
                                                "topk", "where", "masked_fill", "cast", "batch_norm"))


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "cpu"


def _blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return ("%s %s" % (blas.get("name", ""), blas.get("version", ""))).strip() or None
    except Exception:
        return None


class NumpyBackend(RingCollectives, Backend):
    name = "numpy"
    version = "1.0.0"

    def configure(self, options):
        device = options.get("device")
        if device not in (None, "", "cpu") and not str(device).startswith("cpu:"):
            from assay_backend import Unsupported
            raise Unsupported("the numpy backend runs on the host cpu only, not %r" % (device,))
        self.options = options

    def describe(self):
        from assay_backend import host_memory
        from assay_backend.numa import cpu_numa
        total, _ = host_memory()
        runtime = {}
        blas = _blas_name()
        if blas:
            runtime["blas"] = blas
        return {
            "devices": [{"index": 0, "name": _cpu_name(), "kind": "cpu", "memory_bytes": total,
                         "driver": platform.platform(), "runtime": "numpy " + np.__version__,
                         "cores": os.cpu_count(), **cpu_numa()}],
            "timer": "host_monotonic",
            "capabilities": opspec.capabilities(),
            "runtime": runtime,
        }

    #: (key, Call) of the latest validated call: the harness repeats one case many times, and
    #: validating it again costs more than a tiny op
    _last_call = None

    def _check(self, op, dtype, attrs, inputs):
        try:  # the key holds everything check() reads: attrs by value, inputs by dtype and shape
            key = (op, dtype, repr(attrs), tuple([(x.dtype, x.shape) for x in inputs]))
        except AttributeError:  # not numpy arrays
            return opspec.check(op, dtype, attrs, inputs)
        last = self._last_call
        if last is not None and last[0] == key:
            return last[1]
        call = opspec.check(op, dtype, attrs, inputs)
        self._last_call = (key, call)
        return call

    def _build(self, op, dtype, attrs, inputs):
        call = self._check(op, dtype, attrs, inputs)
        fn = OPS[op]

        def run_op():
            with np.errstate(all="ignore"):
                return fn(call, *inputs)
        return call, run_op

    def prepare(self, op, dtype, attrs, inputs):
        return self._build(op, dtype, attrs, inputs)[1]

    def execute(self, op, dtype, attrs, inputs):
        into = INTO.get(op)
        if into is not None:
            call = self._check(op, dtype, attrs, inputs)
            out = self.output_array(call.out_shape, storage_dtype(call.out_dtype))
            into(call, *inputs, out)
            return out
        call, fn = self._build(op, dtype, attrs, inputs)
        out = np.asarray(fn())
        if tuple(out.shape) != call.out_shape:  # internal consistency check
            raise RuntimeError("%s produced shape %s, expected %s" % (op, list(out.shape), list(call.out_shape)))
        return out


if __name__ == "__main__":
    run(NumpyBackend)
