"""Independent float64 reference implementations of docs/OPS.md for the tests
(written for clarity, with different algorithms than the backends where it matters)."""

import math
import warnings

import numpy as np

from assay_backend import round_to, to_float

TOLERANCE = {"f64": (1e-12, 1e-12), "f32": (1.3e-6, 1e-5), "f16": (1e-3, 1e-3), "bf16": (1.6e-2, 1e-2)}


def f64(a):
    return to_float(a, np.float64)


def matmul(A, B, transpose_a=False, transpose_b=False):
    a, b = f64(A), f64(B)
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def linear(x, w, b=None):
    out = f64(x) @ f64(w).T
    return out + f64(b) if b is not None else out


def conv2d(x, w, b=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    x, w = f64(x), f64(w)
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    xp = np.zeros((n, c, h + 2 * ph, wd + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + wd] = x
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for g in range(groups):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw]
                out[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", patch, ws[:, :, i, j])
    if b is not None:
        out += f64(b)[None, :, None, None]
    return out


def softmax(x, axis=-1):
    x = f64(x)
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x = f64(x)
    m = np.max(x, axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def attention(q, k, v, causal=False, scale=None):
    q, k, v = f64(q), f64(k), f64(v)
    d = q.shape[-1]
    scale = 1.0 / math.sqrt(d) if scale is None else scale
    s, t = q.shape[-2], k.shape[-2]
    out = np.zeros(q.shape[:-1] + (v.shape[-1],))
    for idx in np.ndindex(*q.shape[:-2]):
        for i in range(s):
            keys = range(t) if not causal else range(min(i + 1, t))
            sc = np.array([q[idx][i] @ k[idx][j] * scale for j in keys])
            p = np.exp(sc - sc.max())
            p /= p.sum()
            out[idx][i] = sum(p[n] * v[idx][j] for n, j in enumerate(keys))
    return out


def layer_norm(x, w, b, eps=1e-5):
    x = f64(x)
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * f64(w) + f64(b)


def rms_norm(x, w, eps=1e-6):
    x = f64(x)
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * f64(w)


def _gated_limit(x):
    """gelu and silu at NaN and ±inf (x·gate(x) with gate -> 0 and 1): NaN, -0, inf; else None."""
    if math.isnan(x):
        return math.nan
    if x == -math.inf:
        return -0.0
    if x == math.inf:
        return math.inf
    return None


def _gelu_scalar(x, approximate):
    limit = _gated_limit(x)
    if limit is not None:
        return limit
    if approximate == "tanh":
        return 0.5 * x * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))
    return 0.5 * x * math.erfc(-x / math.sqrt(2.0))


def gelu(x, approximate="none"):
    return np.vectorize(lambda v: _gelu_scalar(v, approximate), otypes=[np.float64])(f64(x))


def _silu_scalar(x):
    limit = _gated_limit(x)
    if limit is not None:
        return limit
    if x < -700:
        return -0.0 if x * math.exp(x) == 0 else x * math.exp(x)
    return x / (1.0 + math.exp(-x))


def silu(x):
    return np.vectorize(_silu_scalar, otypes=[np.float64])(f64(x))


def relu(x):
    x = f64(x)
    return np.where(np.isnan(x), np.nan, np.where(x > 0, x, 0.0))


def reduce_sum(x, axes=(-1,), keepdim=False):
    return np.sum(f64(x), axis=tuple(axes), keepdims=keepdim)


def reduce_mean(x, axes=(-1,), keepdim=False):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean of an empty slice is NaN, as specified
        return np.mean(f64(x), axis=tuple(axes), keepdims=keepdim)


def embedding(idx, w):
    return f64(w)[idx]


def rotary(x, cos, sin, interleaved=False):
    x, cos, sin = f64(x), f64(cos), f64(sin)
    s, h, d = x.shape
    out = np.zeros_like(x)
    for i in range(d // 2):
        a, b = (2 * i, 2 * i + 1) if interleaved else (i, i + d // 2)
        c, sn = cos[:, i][:, None], sin[:, i][:, None]
        out[:, :, a] = x[:, :, a] * c - x[:, :, b] * sn
        out[:, :, b] = x[:, :, b] * c + x[:, :, a] * sn
    return out


def assert_close(out, ref, dtype, L=1, what=""):
    """OPS.md tolerance: |out-ref| <= atol_unit*sqrt(L) + rtol*|ref|; NaN must match NaN;
    where the reference rounded to the dtype is +-inf the output must be that inf."""
    rtol, atol_unit = TOLERANCE[dtype]
    atol = atol_unit * math.sqrt(max(L, 1))
    got = f64(out)
    ref = np.asarray(ref, dtype=np.float64)
    assert got.shape == ref.shape, "%s: shape %s != %s" % (what, got.shape, ref.shape)
    with np.errstate(all="ignore"):
        ref_t = round_to(ref, dtype)
        nan_ref = np.isnan(ref)
        bad = np.isnan(got) != nan_ref
        inf_ref = np.isinf(ref_t)
        bad |= inf_ref & (got != ref_t)
        finite = ~nan_ref & ~inf_ref
        err = np.abs(got - ref)
        bad |= finite & ~(err <= atol + rtol * np.abs(ref))
    if bad.any():
        i = tuple(np.argwhere(bad)[0])
        raise AssertionError("%s [%s]: %d/%d elements out of tolerance; first at %s: got %r, ref %r (tol %g)"
                             % (what, dtype, int(bad.sum()), bad.size, i, got[i], ref[i],
                                atol + rtol * abs(ref[i]) if np.isfinite(ref[i]) else 0))
