"""The Assay operator catalogue (docs/OPS.md) as validation code.

`check(op, dtype, attrs, inputs)` validates a call against the catalogue and
returns a `Call` with normalised attributes (defaults filled in, negative axes
resolved) and the output shape/dtype. `inputs` are `TensorSpec`s, (dtype, shape)
pairs, or arrays of any library whose dtype maps to a wire dtype: numpy, ml_dtypes
bfloat16, JAX, torch, or any object with `__array__` or `__dlpack__` (see `_spec`).

It raises Unsupported for ops, case dtypes, attribute names and attribute
values outside the catalogue, and Invalid for inconsistent inputs. Backends
that share it agree on every edge case of argument handling.
"""

import math

from .attrs import Attrs
from .dtypes import FLOAT_DTYPES, as_numpy, wire_name
from .errors import Invalid, Unsupported
from .framing import TensorSpec

FLOATS = list(FLOAT_DTYPES)

# op -> (case dtypes, attribute names)
CATALOGUE = {
    "matmul": (FLOATS, ("transpose_a", "transpose_b")),
    "linear": (FLOATS, ("bias",)),
    "conv2d": (FLOATS, ("stride", "padding", "dilation", "groups", "bias")),
    "scaled_dot_product_attention": (FLOATS, ("causal", "scale")),
    "softmax": (FLOATS, ("axis",)),
    "log_softmax": (FLOATS, ("axis",)),
    "layer_norm": (FLOATS, ("eps",)),
    "rms_norm": (FLOATS, ("eps",)),
    "gelu": (FLOATS, ("approximate",)),
    "silu": (FLOATS, ()),
    "relu": (FLOATS, ()),
    "add": (FLOATS, ()),
    "mul": (FLOATS, ()),
    "reduce_sum": (FLOATS, ("axes", "keepdim")),
    "reduce_mean": (FLOATS, ("axes", "keepdim")),
    "embedding": (FLOATS, ()),
    "rotary_embedding": (FLOATS, ("interleaved",)),
    "transpose": (FLOATS, ("perm",)),
    "copy": (FLOATS, ()),
    "matmul_int8": (["int8"], ()),
    # what model graphs need besides the above (issue 17)
    "reshape": (FLOATS, ("to",)),
    "concat": (FLOATS, ("axis",)),
    "slice": (FLOATS, ("axis", "start", "end")),
    "gather": (FLOATS, ("axis",)),
    "repeat_interleave": (FLOATS, ("repeats", "axis")),
    "argmax": (FLOATS, ("axis", "keepdim")),
    "topk": (FLOATS, ("k", "axis")),
    "where": (FLOATS, ()),
    "masked_fill": (FLOATS, ("value",)),
    "cast": (FLOATS, ("to",)),
    "batch_norm": (FLOATS, ("eps",)),
}


def capabilities(ops=None, dtypes=None):
    """The catalogue as a `capabilities` object, optionally restricted."""
    caps = {}
    for op, (dts, _) in CATALOGUE.items():
        if ops is not None and op not in ops:
            continue
        keep = [d for d in dts if dtypes is None or d in dtypes or d == "int8"]
        if keep:
            caps[op] = keep
    return caps


class Call(object):
    """A validated op call: normalised attrs plus output shape and dtype."""

    def __init__(self, op, dtype, attrs, inputs, out_shape, out_dtype):
        self.op = op
        self.dtype = dtype
        self.attrs = attrs
        self.inputs = inputs
        self.out_shape = tuple(out_shape)
        self.out_dtype = out_dtype

    def __repr__(self):
        return "Call(%s, %s, %r, out=%s %s)" % (self.op, self.dtype, self.attrs,
                                                self.out_dtype, list(self.out_shape))


def _spec(x):
    if isinstance(x, TensorSpec):
        return x
    if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str):
        return TensorSpec(x[0], x[1])
    if getattr(x, "dtype", None) is None or getattr(x, "shape", None) is None:
        x = as_numpy(x)  # an object with only __array__ or __dlpack__
    return TensorSpec(wire_name(x), tuple(int(d) for d in x.shape))


def broadcast_shapes(a, b, what):
    out = []
    for i in range(max(len(a), len(b))):
        da = a[len(a) - 1 - i] if i < len(a) else 1
        db = b[len(b) - 1 - i] if i < len(b) else 1
        if da != db and da != 1 and db != 1:
            raise Invalid("%s: shapes %s and %s do not broadcast" % (what, list(a), list(b)))
        out.append(db if da == 1 else da)
    return tuple(reversed(out))


def _axis(axis, ndim, op):
    if not -ndim <= axis < ndim:
        raise Invalid("%s: axis %d out of range for rank %d" % (op, axis, ndim))
    return axis % ndim


def check(op, dtype, attrs, inputs):
    if op not in CATALOGUE:
        raise Unsupported("op %r is not in the catalogue" % (op,))
    dtypes, known = CATALOGUE[op]
    if dtype not in dtypes:
        raise Unsupported("%s: dtype %r not implemented (catalogue: %s)" % (op, dtype, ", ".join(dtypes)))
    a = Attrs(attrs, known=known, op=op)
    specs = [_spec(x) for x in inputs]
    return _CHECKS[op](op, dtype, a, specs)


def _expect(op, specs, names, dtypes):
    if len(specs) != len(names):
        raise Invalid("%s: expected %d input(s) (%s), got %d"
                      % (op, len(names), ", ".join(names), len(specs)))
    for spec, name, dt in zip(specs, names, dtypes):
        if spec.dtype != dt:
            raise Invalid("%s: input %s has dtype %s, expected %s" % (op, name, spec.dtype, dt))


def _rank(op, spec, name, ranks):
    if spec.ndim not in ranks:
        raise Invalid("%s: input %s must have rank %s, got shape %s"
                      % (op, name, " or ".join(str(r) for r in ranks), list(spec.shape)))


def _matmul(op, dtype, a, specs):
    ta = a.bool("transpose_a", False)
    tb = a.bool("transpose_b", False)
    _expect(op, specs, ("A", "B"), (dtype, dtype))
    A, B = specs
    if A.ndim < 2 or B.ndim < 2:
        raise Invalid("%s: A and B must have rank >= 2, got %s and %s" % (op, list(A.shape), list(B.shape)))
    m, ka = (A.shape[-1], A.shape[-2]) if ta else (A.shape[-2], A.shape[-1])
    kb, n = (B.shape[-1], B.shape[-2]) if tb else (B.shape[-2], B.shape[-1])
    if ka != kb:
        raise Invalid("%s: inner dimensions differ (A %s%s, B %s%s)"
                      % (op, list(A.shape), " transposed" if ta else "", list(B.shape), " transposed" if tb else ""))
    batch = broadcast_shapes(A.shape[:-2], B.shape[:-2], op + " batch")
    return Call(op, dtype, {"transpose_a": ta, "transpose_b": tb, "k": ka}, specs, batch + (m, n), dtype)


def _linear(op, dtype, a, specs):
    bias = a.bool("bias", True)
    names = ("x", "weight", "bias") if bias else ("x", "weight")
    _expect(op, specs, names, (dtype,) * len(names))
    x, w = specs[0], specs[1]
    if x.ndim < 1:
        raise Invalid("%s: x must have rank >= 1" % op)
    _rank(op, w, "weight", (2,))
    if x.shape[-1] != w.shape[1]:
        raise Invalid("%s: x %s and weight %s disagree on k" % (op, list(x.shape), list(w.shape)))
    if bias:
        _rank(op, specs[2], "bias", (1,))
        if specs[2].shape[0] != w.shape[0]:
            raise Invalid("%s: bias %s does not match weight %s" % (op, list(specs[2].shape), list(w.shape)))
    return Call(op, dtype, {"bias": bias, "k": x.shape[-1]}, specs, x.shape[:-1] + (w.shape[0],), dtype)


def _conv2d(op, dtype, a, specs):
    if isinstance(a.raw.get("padding"), str):
        raise Unsupported("%s: string padding %r not implemented" % (op, a.raw["padding"]))
    stride = a.ints("stride", [1, 1], length=2, minimum=1, allow_scalar=True)
    padding = a.ints("padding", [0, 0], length=2, minimum=0, allow_scalar=True)
    dilation = a.ints("dilation", [1, 1], length=2, minimum=1, allow_scalar=True)
    groups = a.int("groups", 1, minimum=1)
    bias = a.bool("bias", False)
    names = ("x", "weight", "bias") if bias else ("x", "weight")
    _expect(op, specs, names, (dtype,) * len(names))
    x, w = specs[0], specs[1]
    _rank(op, x, "x", (4,))
    _rank(op, w, "weight", (4,))
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    if c % groups or f % groups:
        raise Invalid("%s: channels c=%d and filters f=%d must be divisible by groups=%d" % (op, c, f, groups))
    if cg != c // groups:
        raise Invalid("%s: weight %s needs dim 1 = c/groups = %d" % (op, list(w.shape), c // groups))
    if bias:
        _rank(op, specs[2], "bias", (1,))
        if specs[2].shape[0] != f:
            raise Invalid("%s: bias %s does not match f=%d" % (op, list(specs[2].shape), f))
    oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    if oh < 1 or ow < 1:
        raise Invalid("%s: output size %dx%d is too small (input %dx%d, kernel %dx%d, padding %s, dilation %s)"
                      % (op, oh, ow, h, wd, kh, kw, padding, dilation))
    attrs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups, "bias": bias}
    return Call(op, dtype, attrs, specs, (n, f, oh, ow), dtype)


def _sdpa(op, dtype, a, specs):
    causal = a.bool("causal", False)
    scale = a.float("scale", None)
    _expect(op, specs, ("q", "k", "v"), (dtype,) * 3)
    q, k, v = specs
    if not (q.ndim == k.ndim == v.ndim) or q.ndim < 2:
        raise Invalid("%s: q, k, v must have the same rank >= 2 ([b,h,s,d]), got %s, %s, %s"
                      % (op, list(q.shape), list(k.shape), list(v.shape)))
    if q.shape[:-2] != k.shape[:-2] or q.shape[:-2] != v.shape[:-2]:
        raise Invalid("%s: leading (batch, head) dims differ: %s, %s, %s"
                      % (op, list(q.shape), list(k.shape), list(v.shape)))
    if q.shape[-1] != k.shape[-1]:
        raise Invalid("%s: q and k head dims differ (%d vs %d)" % (op, q.shape[-1], k.shape[-1]))
    if k.shape[-2] != v.shape[-2]:
        raise Invalid("%s: k and v sequence lengths differ (%d vs %d)" % (op, k.shape[-2], v.shape[-2]))
    d = q.shape[-1]
    if scale is None:
        if d == 0:
            raise Invalid("%s: default scale 1/sqrt(d) needs d > 0" % op)
        scale = 1.0 / math.sqrt(d)
    attrs = {"causal": causal, "scale": scale, "scale_is_default": a.raw.get("scale") is None}
    return Call(op, dtype, attrs, specs, q.shape[:-1] + (v.shape[-1],), dtype)


def _softmax(op, dtype, a, specs):
    axis = a.int("axis", -1)
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    if x.ndim < 1:
        raise Invalid("%s: x must have rank >= 1" % op)
    axis = _axis(axis, x.ndim, op)
    return Call(op, dtype, {"axis": axis}, specs, x.shape, dtype)


def _layer_norm(op, dtype, a, specs):
    eps = a.float("eps", 1e-5)
    _expect(op, specs, ("x", "weight", "bias"), (dtype,) * 3)
    x = specs[0]
    if x.ndim < 1:
        raise Invalid("%s: x must have rank >= 1" % op)
    n = x.shape[-1]
    for name, s in zip(("weight", "bias"), specs[1:]):
        if s.shape != (n,):
            raise Invalid("%s: %s must have shape [%d], got %s" % (op, name, n, list(s.shape)))
    return Call(op, dtype, {"eps": eps}, specs, x.shape, dtype)


def _rms_norm(op, dtype, a, specs):
    eps = a.float("eps", 1e-6)
    _expect(op, specs, ("x", "weight"), (dtype,) * 2)
    x = specs[0]
    if x.ndim < 1:
        raise Invalid("%s: x must have rank >= 1" % op)
    n = x.shape[-1]
    if specs[1].shape != (n,):
        raise Invalid("%s: weight must have shape [%d], got %s" % (op, n, list(specs[1].shape)))
    return Call(op, dtype, {"eps": eps}, specs, x.shape, dtype)


def _gelu(op, dtype, a, specs):
    approximate = a.choice("approximate", "none", ("none", "tanh"))
    _expect(op, specs, ("x",), (dtype,))
    return Call(op, dtype, {"approximate": approximate}, specs, specs[0].shape, dtype)


def _unary(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    return Call(op, dtype, {}, specs, specs[0].shape, dtype)


def _binary(op, dtype, a, specs):
    _expect(op, specs, ("a", "b"), (dtype, dtype))
    return Call(op, dtype, {}, specs, broadcast_shapes(specs[0].shape, specs[1].shape, op), dtype)


def _reduce(op, dtype, a, specs):
    axes = a.ints("axes", [-1], allow_scalar=True)
    keepdim = a.bool("keepdim", False)
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    norm = sorted(_axis(ax, x.ndim, op) for ax in axes)
    if len(set(norm)) != len(norm):
        raise Invalid("%s: repeated axis in %r" % (op, axes))
    if keepdim:
        out = tuple(1 if i in norm else d for i, d in enumerate(x.shape))
    else:
        out = tuple(d for i, d in enumerate(x.shape) if i not in norm)
    count = 1
    for ax in norm:
        count *= x.shape[ax]
    return Call(op, dtype, {"axes": norm, "keepdim": keepdim, "count": count}, specs, out, dtype)


def _embedding(op, dtype, a, specs):
    _expect(op, specs, ("indices", "weight"), ("int32", dtype))
    idx, w = specs
    _rank(op, w, "weight", (2,))
    return Call(op, dtype, {"vocab": w.shape[0]}, specs, idx.shape + (w.shape[1],), dtype)


def _rotary(op, dtype, a, specs):
    interleaved = a.bool("interleaved", False)
    _expect(op, specs, ("x", "cos", "sin"), (dtype,) * 3)
    x, cos, sin = specs
    _rank(op, x, "x", (3,))
    s, h, d = x.shape
    if d % 2:
        raise Invalid("%s: head dim d=%d must be even" % (op, d))
    for name, t in (("cos", cos), ("sin", sin)):
        if t.shape != (s, d // 2):
            raise Invalid("%s: %s must have shape [%d,%d], got %s" % (op, name, s, d // 2, list(t.shape)))
    return Call(op, dtype, {"interleaved": interleaved}, specs, x.shape, dtype)


def _transpose(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    perm = a.ints("perm", None)
    if perm is None:
        perm = list(range(x.ndim))[::-1]
    if len(perm) != x.ndim:
        raise Invalid("%s: perm %r has %d entries, x has rank %d" % (op, perm, len(perm), x.ndim))
    norm = [_axis(p, x.ndim, op) for p in perm]
    if sorted(norm) != list(range(x.ndim)):
        raise Invalid("%s: perm %r is not a permutation" % (op, perm))
    return Call(op, dtype, {"perm": norm}, specs, tuple(x.shape[p] for p in norm), dtype)


def _matmul_int8(op, dtype, a, specs):
    _expect(op, specs, ("A", "B"), ("int8", "int8"))
    A, B = specs
    _rank(op, A, "A", (2,))
    _rank(op, B, "B", (2,))
    if A.shape[1] != B.shape[0]:
        raise Invalid("%s: A %s and B %s disagree on k" % (op, list(A.shape), list(B.shape)))
    return Call(op, dtype, {"k": A.shape[1]}, specs, (A.shape[0], B.shape[1]), "int32")


def _reshape(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    to = a.ints("to", [-1], allow_scalar=True)
    n = specs[0].size
    if any(d < -1 for d in to) or to.count(-1) > 1:
        raise Invalid("%s: to %r may hold dims >= 0 and at most one -1" % (op, to))
    known = 1
    for d in to:
        if d != -1:
            known *= d
    if -1 in to:
        if known == 0 or n % known:
            raise Invalid("%s: to %r: %d elements do not divide into dims of %d" % (op, to, n, known))
        to = [n // known if d == -1 else d for d in to]
    elif known != n:
        raise Invalid("%s: to %r holds %d elements, the input %d" % (op, to, known, n))
    return Call(op, dtype, {"to": to}, specs, to, dtype)


def _concat(op, dtype, a, specs):
    if not specs:
        raise Invalid("%s: needs at least one input" % op)
    _expect(op, specs, ["x%d" % i for i in range(len(specs))], (dtype,) * len(specs))
    first = specs[0]
    axis = _axis(a.int("axis", -1), first.ndim, op)
    for i, s in enumerate(specs):
        if s.ndim != first.ndim or any(d != e for j, (d, e) in enumerate(zip(s.shape, first.shape)) if j != axis):
            raise Invalid("%s: input x%d %s does not match x0 %s outside axis %d"
                          % (op, i, list(s.shape), list(first.shape), axis))
    out = list(first.shape)
    out[axis] = sum(s.shape[axis] for s in specs)
    return Call(op, dtype, {"axis": axis}, specs, out, dtype)


def _slice(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    axis = _axis(a.int("axis", -1), x.ndim, op)
    start = a.int("start", 0)
    end = a.int("end", x.shape[axis])
    if not 0 <= start <= end <= x.shape[axis]:
        raise Invalid("%s: needs 0 <= start <= end <= %d, got start %d, end %d" % (op, x.shape[axis], start, end))
    out = list(x.shape)
    out[axis] = end - start
    return Call(op, dtype, {"axis": axis, "start": start, "end": end}, specs, out, dtype)


def _gather(op, dtype, a, specs):
    _expect(op, specs, ("x", "indices"), (dtype, "int32"))
    x, idx = specs
    axis = _axis(a.int("axis", 0), x.ndim, op)
    _rank(op, idx, "indices", (1,))
    out = list(x.shape)
    out[axis] = idx.shape[0]
    return Call(op, dtype, {"axis": axis, "length": x.shape[axis]}, specs, out, dtype)


def _repeat_interleave(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    axis = _axis(a.int("axis", 1), x.ndim, op)
    repeats = a.int("repeats", 2, minimum=1)
    out = list(x.shape)
    out[axis] *= repeats
    return Call(op, dtype, {"axis": axis, "repeats": repeats}, specs, out, dtype)


def _argmax(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    axis = _axis(a.int("axis", -1), x.ndim, op)
    keepdim = a.bool("keepdim", False)
    if x.shape[axis] == 0 and x.size:
        raise Invalid("%s: argmax over an empty axis has no answer" % op)
    out = list(x.shape)
    if keepdim:
        out[axis] = 1
    else:
        del out[axis]
    return Call(op, dtype, {"axis": axis, "keepdim": keepdim}, specs, out, "int32")


def _topk(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    x = specs[0]
    axis = _axis(a.int("axis", -1), x.ndim, op)
    k = a.int("k", 1, minimum=0)
    if k > x.shape[axis]:
        raise Invalid("%s: k=%d exceeds the axis length %d" % (op, k, x.shape[axis]))
    out = list(x.shape)
    out[axis] = k
    return Call(op, dtype, {"axis": axis, "k": k}, specs, out, "int32")


def _where(op, dtype, a, specs):
    _expect(op, specs, ("cond", "a", "b"), ("bool", dtype, dtype))
    cond, x, y = specs
    if x.shape != y.shape or broadcast_shapes(cond.shape, x.shape, op) != x.shape:
        raise Invalid("%s: a %s and b %s must match and cond %s broadcast to them"
                      % (op, list(x.shape), list(y.shape), list(cond.shape)))
    return Call(op, dtype, {}, specs, x.shape, dtype)


def _masked_fill(op, dtype, a, specs):
    _expect(op, specs, ("x", "mask"), (dtype, "bool"))
    x, mask = specs
    value = a.float("value", 0.0)
    if broadcast_shapes(mask.shape, x.shape, op) != x.shape:
        raise Invalid("%s: mask %s does not broadcast to x %s" % (op, list(mask.shape), list(x.shape)))
    return Call(op, dtype, {"value": value}, specs, x.shape, dtype)


def _cast(op, dtype, a, specs):
    _expect(op, specs, ("x",), (dtype,))
    to = a.choice("to", "f32", tuple(FLOATS))
    return Call(op, dtype, {"to": to}, specs, specs[0].shape, to)


def _batch_norm(op, dtype, a, specs):
    eps = a.float("eps", 1e-5)
    _expect(op, specs, ("x", "mean", "var", "weight", "bias"), (dtype,) * 5)
    x = specs[0]
    if x.ndim < 2:
        raise Invalid("%s: x must have rank >= 2 ([n, c, ...]), got %s" % (op, list(x.shape)))
    for name, s in zip(("mean", "var", "weight", "bias"), specs[1:]):
        if s.shape != (x.shape[1],):
            raise Invalid("%s: %s must have shape [%d], got %s" % (op, name, x.shape[1], list(s.shape)))
    return Call(op, dtype, {"eps": eps}, specs, x.shape, dtype)


_CHECKS = {
    "matmul": _matmul,
    "linear": _linear,
    "conv2d": _conv2d,
    "scaled_dot_product_attention": _sdpa,
    "softmax": _softmax,
    "log_softmax": _softmax,
    "layer_norm": _layer_norm,
    "rms_norm": _rms_norm,
    "gelu": _gelu,
    "silu": _unary,
    "relu": _unary,
    "add": _binary,
    "mul": _binary,
    "reduce_sum": _reduce,
    "reduce_mean": _reduce,
    "embedding": _embedding,
    "rotary_embedding": _rotary,
    "transpose": _transpose,
    "copy": _unary,
    "matmul_int8": _matmul_int8,
    "reshape": _reshape,
    "concat": _concat,
    "slice": _slice,
    "gather": _gather,
    "repeat_interleave": _repeat_interleave,
    "argmax": _argmax,
    "topk": _topk,
    "where": _where,
    "masked_fill": _masked_fill,
    "cast": _cast,
    "batch_norm": _batch_norm,
}
