"""The numpy backend with every intermediate of the staged ops rounded to the case dtype T.

This is the worst honest way a framework computes softmax, log_softmax, attention and a
biased linear/conv2d in f16/bf16 (accumulations stay in float32, as every library does): each
stage's result is stored in T before the next stage reads it (f64 cases accumulate in float64). The conformance suite must pass
it (docs/OPS.md, "Intermediates rounded to T"); the Swift test StagedFrameworkTests drives it.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

if __name__ == "__main__":
    from assay_backend.server import protect_stdio
    protect_stdio()

import numpy as np  # noqa: E402

import numpy_backend  # noqa: E402
from assay_backend import opspec, round_to, run, to_float  # noqa: E402


def _staging(dtype):
    """x -> x rounded to T, as float64 (identity for f64)."""
    return lambda x: round_to(np.asarray(x, dtype=np.float64), dtype)


def _accumulating(dtype):
    """The accumulation dtype: float64 for f64 cases, float32 otherwise (numpy_backend._heavy)."""
    return numpy_backend._heavy(dtype)


def _matmul(a, b, dtype):
    acc = _accumulating(dtype)
    return np.matmul(a.astype(acc), b.astype(acc)).astype(np.float64)


def _softmax_stages(x, axis, dtype):
    """(shifted, exps, sum) with each stage rounded to T."""
    T = _staging(dtype)
    m = np.max(x, axis=axis, keepdims=True)
    d = T(x - m)
    e = T(np.exp(d))
    acc = _accumulating(dtype)
    return d, e, T(np.sum(e.astype(acc), axis=axis, keepdims=True, dtype=acc))


def softmax(call, x):
    if x.size == 0:
        return x.copy()
    T = _staging(call.dtype)
    _, e, total = _softmax_stages(to_float(x, np.float64), call.attrs["axis"], call.dtype)
    return numpy_backend._out(T(e / total), call.dtype)


def log_softmax(call, x):
    if x.size == 0:
        return x.copy()
    T = _staging(call.dtype)
    d, _, total = _softmax_stages(to_float(x, np.float64), call.attrs["axis"], call.dtype)
    return numpy_backend._out(T(d - T(np.log(total))), call.dtype)


def attention(call, q, k, v):
    """torch's math path (q and k scaled by √scale in T, scores in T, softmax in T) with the
    probabilities stored in T before P·V (as flash kernels do)."""
    T = _staging(call.dtype)
    qf, kf, vf = (to_float(a, np.float64) for a in (q, k, v))
    s, t = qf.shape[-2], kf.shape[-2]
    if t == 0 or int(np.prod(call.out_shape)) == 0:
        return numpy_backend._out(np.zeros(call.out_shape), call.dtype)
    scale = float(call.attrs["scale"])
    root = np.sqrt(abs(scale))
    scores = T(_matmul(T(qf * (root if scale >= 0 else -root)), np.swapaxes(T(kf * root), -1, -2), call.dtype))
    keep = np.ones((s, t), dtype=bool)
    if call.attrs["causal"]:
        keep = np.arange(t)[None, :] <= np.arange(s)[:, None]
        scores = np.where(keep, scores, -np.inf)
    _, e, total = _softmax_stages(scores, -1, call.dtype)
    p = T(e / total)
    out = np.empty(call.out_shape)
    for i in range(s):  # masked keys must not leak NaN/inf from v through 0·inf
        j = keep[i]
        out[..., i, :] = _matmul(p[..., i:i + 1, j], vf[..., j, :], call.dtype)[..., 0, :]
    return numpy_backend._out(out, call.dtype)


def _with_staged_bias(plain):
    """op(x, w, bias): the product rounded to T, then the bias added and rounded again."""
    def op(call, x, w, bias=None):
        y = plain(call, x, w)
        if bias is None:
            return y
        T = _staging(call.dtype)
        shape = (1, -1, 1, 1) if call.op == "conv2d" else (-1,)
        return numpy_backend._out(T(to_float(y, np.float64) + to_float(bias, np.float64).reshape(shape)), call.dtype)
    return op


STAGED = {
    "softmax": softmax,
    "log_softmax": log_softmax,
    "scaled_dot_product_attention": attention,
    "linear": _with_staged_bias(numpy_backend._linear),
    "conv2d": _with_staged_bias(numpy_backend._conv2d),
}


class StagedBackend(numpy_backend.NumpyBackend):
    name = "numpy-staged"

    def _build(self, op, dtype, attrs, inputs):
        call = opspec.check(op, dtype, attrs, inputs)
        fn = STAGED.get(op, numpy_backend.OPS[op])

        def run_op():
            with np.errstate(all="ignore"):
                return fn(call, *inputs)
        return call, run_op


if __name__ == "__main__":
    run(StagedBackend)
