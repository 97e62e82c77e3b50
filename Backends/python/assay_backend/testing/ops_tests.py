"""Every op of docs/OPS.md, every float dtype, through the protocol, against an
independent float64 reference and the OPS.md tolerance.

The tests take a started backend from the `assay_backend_client` fixture: in the
repository, the numpy backend and, when available, torch on cpu and cuda
(Backends/python/tests/conftest.py); elsewhere, the class `pytest --assay-backend
module:Class` names (assay_backend.testing.plugin). An op × dtype the backend does
not claim in its hello is skipped, not failed."""

import numpy as np
import pytest

from assay_backend import from_float

from . import reference as R

FLOATS = ["f64", "f32", "f16", "bf16"]

SPECIAL = {  # (smallest subnormal, largest subnormal, max finite)
    "f64": (5e-324, 2.2250738585072009e-308, 1.7976931348623157e308),
    "f32": (2.0 ** -149, (2 ** 23 - 1) * 2.0 ** -149, 3.4028234663852886e38),
    "f16": (2.0 ** -24, (2 ** 10 - 1) * 2.0 ** -24, 65504.0),
    "bf16": (2.0 ** -133, (2 ** 7 - 1) * 2.0 ** -133, 3.3895313892515355e38),
}


def rand(rng, dtype, shape, scale=1.0):
    return from_float(rng.uniform(-1, 1, shape) * scale, dtype)


def specials(dtype, with_max=True):
    lo, hi, mx = SPECIAL[dtype]
    vals = [0.0, -0.0, np.inf, -np.inf, np.nan, lo, -hi, 1.0, -1.0]
    if with_max:
        vals += [mx, -mx]
    return vals


def with_specials(rng, dtype, shape, with_max=True, scale=1.0):
    x = rng.uniform(-1, 1, shape) * scale
    flat = x.reshape(-1)
    vals = specials(dtype, with_max)
    pos = rng.choice(flat.size, size=len(vals), replace=False)
    flat[pos] = vals
    return from_float(x, dtype)


# op, attrs, inputs(rng, dtype) -> list, reference(inputs) -> array, L
def _cases():
    c = []

    def add(name, op, attrs, make, ref, L=1):
        c.append(pytest.param(op, attrs, make, ref, L, id=name))

    add("matmul", "matmul", {}, lambda g, d: [rand(g, d, (5, 7)), rand(g, d, (7, 3))], R.matmul, 7)
    add("matmul_batched_tt", "matmul", {"transpose_a": True, "transpose_b": True},
        lambda g, d: [rand(g, d, (2, 7, 5)), rand(g, d, (2, 3, 7))],
        lambda a, b: R.matmul(a, b, True, True), 7)
    add("matmul_k0", "matmul", {}, lambda g, d: [rand(g, d, (3, 0)), rand(g, d, (0, 4))], R.matmul)
    add("matmul_k512", "matmul", {"transpose_b": True},
        lambda g, d: [rand(g, d, (8, 512)), rand(g, d, (9, 512))], lambda a, b: R.matmul(a, b, False, True), 512)
    add("matmul_specials", "matmul", {},
        lambda g, d: [with_specials(g, d, (6, 8), with_max=False), rand(g, d, (8, 5))], R.matmul, 8)
    add("linear_bias", "linear", {}, lambda g, d: [rand(g, d, (4, 16)), rand(g, d, (6, 16)), rand(g, d, (6,))],
        R.linear, 16)
    add("linear_nobias", "linear", {"bias": False}, lambda g, d: [rand(g, d, (4, 16)), rand(g, d, (6, 16))],
        R.linear, 16)
    add("conv2d", "conv2d", {}, lambda g, d: [rand(g, d, (2, 3, 9, 9)), rand(g, d, (4, 3, 3, 3))], R.conv2d, 27)
    add("conv2d_full", "conv2d",
        {"stride": [2, 1], "padding": [1, 2], "dilation": [2, 1], "groups": 2, "bias": True},
        lambda g, d: [rand(g, d, (2, 4, 11, 10)), rand(g, d, (6, 2, 3, 2)), rand(g, d, (6,))],
        lambda x, w, b: R.conv2d(x, w, b, (2, 1), (1, 2), (2, 1), 2), 12)
    add("conv2d_depthwise", "conv2d", {"padding": [1, 1], "groups": 6},
        lambda g, d: [rand(g, d, (1, 6, 7, 7)), rand(g, d, (12, 1, 3, 3))],
        lambda x, w: R.conv2d(x, w, None, (1, 1), (1, 1), (1, 1), 6), 9)
    add("sdpa", "scaled_dot_product_attention", {},
        lambda g, d: [rand(g, d, (2, 3, 5, 8)), rand(g, d, (2, 3, 7, 8)), rand(g, d, (2, 3, 7, 8))],
        R.attention, 8)
    add("sdpa_causal_scale", "scaled_dot_product_attention", {"causal": True, "scale": 0.3},
        lambda g, d: [rand(g, d, (1, 2, 5, 8)), rand(g, d, (1, 2, 7, 8)), rand(g, d, (1, 2, 7, 8))],
        lambda q, k, v: R.attention(q, k, v, True, 0.3), 8)
    add("sdpa_causal_s_gt_t", "scaled_dot_product_attention", {"causal": True},
        lambda g, d: [rand(g, d, (1, 1, 7, 16)), rand(g, d, (1, 1, 4, 16)), rand(g, d, (1, 1, 4, 16))],
        lambda q, k, v: R.attention(q, k, v, True), 16)
    add("softmax", "softmax", {}, lambda g, d: [rand(g, d, (3, 17), 4)], R.softmax, 17)
    add("softmax_axis0", "softmax", {"axis": 0}, lambda g, d: [rand(g, d, (5, 4), 4)],
        lambda x: R.softmax(x, 0), 5)
    add("softmax_specials", "softmax", {}, lambda g, d: [with_specials(g, d, (12, 6), False)], R.softmax, 6)
    add("softmax_empty", "softmax", {}, lambda g, d: [rand(g, d, (0, 16))], R.softmax, 16)
    add("log_softmax", "log_softmax", {}, lambda g, d: [rand(g, d, (3, 17), 4)], R.log_softmax, 17)
    add("log_softmax_specials", "log_softmax", {"axis": -1},
        lambda g, d: [with_specials(g, d, (12, 6), False)], R.log_softmax, 6)
    add("layer_norm", "layer_norm", {}, lambda g, d: [rand(g, d, (3, 5, 16)), rand(g, d, (16,)), rand(g, d, (16,))],
        R.layer_norm, 16)
    add("layer_norm_eps", "layer_norm", {"eps": 0.1},
        lambda g, d: [rand(g, d, (4, 8)), rand(g, d, (8,)), rand(g, d, (8,))],
        lambda x, w, b: R.layer_norm(x, w, b, 0.1), 8)
    add("rms_norm", "rms_norm", {}, lambda g, d: [rand(g, d, (4, 32)), rand(g, d, (32,))], R.rms_norm, 32)
    add("rms_norm_eps", "rms_norm", {"eps": 1e-2}, lambda g, d: [rand(g, d, (2, 3, 8)), rand(g, d, (8,))],
        lambda x, w: R.rms_norm(x, w, 1e-2), 8)
    for approx in ("none", "tanh"):
        add("gelu_" + approx, "gelu", {"approximate": approx}, lambda g, d: [rand(g, d, (257,), 8)],
            lambda x, a=approx: R.gelu(x, a))
        add("gelu_%s_specials" % approx, "gelu", {"approximate": approx},
            lambda g, d: [with_specials(g, d, (64,), scale=8)], lambda x, a=approx: R.gelu(x, a))
    add("gelu_default", "gelu", {}, lambda g, d: [rand(g, d, (4, 9), 6)], R.gelu)
    add("silu", "silu", {}, lambda g, d: [rand(g, d, (3, 33), 10)], R.silu)
    add("silu_specials", "silu", {}, lambda g, d: [with_specials(g, d, (64,), scale=8)], R.silu)
    add("relu", "relu", {}, lambda g, d: [with_specials(g, d, (5, 13))], R.relu)
    add("add_broadcast", "add", {}, lambda g, d: [rand(g, d, (4, 1, 8)), rand(g, d, (8,))],
        lambda a, b: R.f64(a) + R.f64(b))
    add("add_specials", "add", {}, lambda g, d: [with_specials(g, d, (4, 8)), with_specials(g, d, (4, 8))],
        lambda a, b: R.f64(a) + R.f64(b))
    add("mul_broadcast", "mul", {}, lambda g, d: [rand(g, d, (3, 1)), rand(g, d, (1, 5))],
        lambda a, b: R.f64(a) * R.f64(b))
    add("mul_specials", "mul", {}, lambda g, d: [with_specials(g, d, (4, 8)), with_specials(g, d, (4, 8))],
        lambda a, b: R.f64(a) * R.f64(b))
    add("reduce_sum", "reduce_sum", {}, lambda g, d: [rand(g, d, (4, 100))], R.reduce_sum, 100)
    add("reduce_sum_axes_keepdim", "reduce_sum", {"axes": [0, -1], "keepdim": True},
        lambda g, d: [rand(g, d, (3, 4, 5))], lambda x: R.reduce_sum(x, (0, 2), True), 15)
    add("reduce_sum_all", "reduce_sum", {"axes": [0, 1]}, lambda g, d: [rand(g, d, (6, 7))],
        lambda x: R.reduce_sum(x, (0, 1)), 42)
    add("reduce_sum_no_axes", "reduce_sum", {"axes": []}, lambda g, d: [rand(g, d, (2, 3))],
        lambda x: R.reduce_sum(x, ()))
    add("reduce_sum_specials", "reduce_sum", {}, lambda g, d: [with_specials(g, d, (6, 8), False)],
        R.reduce_sum, 8)
    add("reduce_sum_empty", "reduce_sum", {"axes": [0]}, lambda g, d: [rand(g, d, (0, 5))],
        lambda x: R.reduce_sum(x, (0,)))
    add("reduce_mean", "reduce_mean", {"axes": [1]}, lambda g, d: [rand(g, d, (4, 50, 3))],
        lambda x: R.reduce_mean(x, (1,)), 50)
    add("reduce_mean_empty_is_nan", "reduce_mean", {"axes": [0]}, lambda g, d: [rand(g, d, (0, 16))],
        lambda x: R.reduce_mean(x, (0,)))
    add("reduce_mean_specials", "reduce_mean", {}, lambda g, d: [with_specials(g, d, (6, 8), False)],
        R.reduce_mean, 8)
    add("embedding", "embedding", {},
        lambda g, d: [g.integers(0, 20, 10).astype(np.int32), rand(g, d, (20, 6))], R.embedding)
    add("embedding_empty", "embedding", {},
        lambda g, d: [np.zeros(0, np.int32), rand(g, d, (20, 6))], R.embedding)
    for inter in (False, True):
        add("rotary_interleaved" if inter else "rotary", "rotary_embedding", {"interleaved": inter},
            lambda g, d: [rand(g, d, (4, 3, 8)), rand(g, d, (4, 4)), rand(g, d, (4, 4))],
            lambda x, c, s, i=inter: R.rotary(x, c, s, i))
    add("transpose_default", "transpose", {}, lambda g, d: [with_specials(g, d, (2, 3, 4))],
        lambda x: np.transpose(R.f64(x)))
    add("transpose_perm", "transpose", {"perm": [0, -1, 1]}, lambda g, d: [rand(g, d, (2, 3, 4))],
        lambda x: np.transpose(R.f64(x), (0, 2, 1)))
    add("transpose_identity", "transpose", {"perm": [0, 1]}, lambda g, d: [rand(g, d, (2, 3))], R.f64)
    add("copy", "copy", {}, lambda g, d: [with_specials(g, d, (3, 5))], R.f64)
    return c


def require(backend, op, dtype):
    """Skips unless the backend's hello claims op × dtype."""
    claimed = (backend.hello_reply or {}).get("capabilities", {}).get(op, [])
    if dtype not in claimed:
        pytest.skip("%s does not claim %s %s" % (backend.name, op, dtype))


# Framework values the catalogue accepts in place of a limit (docs/OPS.md, "Special values versus
# frameworks"), as (input, alternative): the harness passes them and records which was returned.
_MAX = object()  # the largest finite value of the case dtype
ACCEPTED_ALTERNATIVES = {
    "silu": [(-np.inf, np.nan)],
    "gelu": [(-np.inf, np.nan), (np.inf, np.nan), (_MAX, np.inf)],
}
_MAX_FINITE = {"f64": np.finfo(np.float64).max, "f32": np.finfo(np.float32).max, "f16": 65504.0,
               "bf16": 3.3895313892515355e38}


def accept_alternatives(op, dtype, x, got, expected):
    """`got` as f64, with each accepted alternative replaced by the expected limit."""
    got = np.array(R.f64(got), dtype=np.float64)
    x = R.f64(x)
    for value, alternative in ACCEPTED_ALTERNATIVES.get(op, []):
        at = x == (_MAX_FINITE[dtype] if value is _MAX else value)
        returned = np.isnan(got) if np.isnan(alternative) else got == alternative
        got[at & returned] = np.asarray(expected, dtype=np.float64)[at & returned]
    return got


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op,attrs,make,ref,L", _cases())
def test_op(assay_backend_client, op, attrs, make, ref, L, dtype):
    backend = assay_backend_client
    require(backend, op, dtype)
    rng = np.random.default_rng(abs(hash((op, str(attrs), dtype))) % (1 << 32))
    inputs = make(rng, dtype)
    out = backend.execute(op, dtype, inputs, attrs)
    assert len(out) == 1
    expected_dtype = {"f64": np.float64, "f32": np.float32, "f16": np.float16, "bf16": np.uint16}[dtype]
    assert out[0].dtype == expected_dtype
    with np.errstate(all="ignore"):
        expected = np.asarray(ref(*inputs))
    got = out[0]
    if op in ACCEPTED_ALTERNATIVES:
        got = accept_alternatives(op, dtype, inputs[0], got, expected)
    R.assert_close(got, expected, dtype, L, what="%s %s on %s" % (op, attrs, backend.name))


@pytest.mark.parametrize("shapes", [((5, 64), (64, 7)), ((3, 2000), (2000, 4)), ((32, 32), (32, 32)),
                                    ((0, 8), (8, 3))])
def test_matmul_int8_exact(assay_backend_client, shapes):
    backend = assay_backend_client
    require(backend, "matmul_int8", "int8")
    rng = np.random.default_rng(1)
    a = rng.integers(-128, 128, shapes[0]).astype(np.int8)
    b = rng.integers(-128, 128, shapes[1]).astype(np.int8)
    a.flat[:1] = -128
    b.flat[:1] = -128
    out = backend.execute("matmul_int8", "int8", [a, b])[0]
    assert out.dtype == np.int32
    assert (out == a.astype(np.int64) @ b.astype(np.int64)).all()


def test_reduce_over_everything_gives_scalar(assay_backend_client):
    backend = assay_backend_client
    require(backend, "reduce_sum", "f32")
    require(backend, "reduce_mean", "bf16")
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = backend.execute("reduce_sum", "f32", [x], {"axes": [0, 1]})[0]
    assert out.shape == () and out == 15
    out = backend.execute("reduce_mean", "bf16", [from_float(x, "bf16")], {"axes": [1, 0], "keepdim": True})[0]
    assert out.shape == (1, 1) and R.f64(out)[0, 0] == 2.5


def test_gelu_silu_limits(assay_backend_client):
    backend = assay_backend_client
    require(backend, "gelu", "f32")
    require(backend, "silu", "f32")
    x = np.array([-np.inf, np.inf, np.nan, -0.0, 0.0], dtype=np.float32)
    limits = np.array([-0.0, np.inf, np.nan, -0.0, 0.0])
    for approx in ("none", "tanh"):
        g = backend.execute("gelu", "f32", [x], {"approximate": approx})[0]
        g = accept_alternatives("gelu", "f32", x, g, limits)
        assert g[0] == 0 and np.signbit(g[0]) and g[1] == np.inf and np.isnan(g[2]), (approx, g)
    s = backend.execute("silu", "f32", [x])[0]
    s = accept_alternatives("silu", "f32", x, s, limits)
    assert s[0] == 0 and np.signbit(s[0]) and s[1] == np.inf and np.isnan(s[2]), s


def test_conv2d_resnet50_sized_layer(assay_backend_client):
    backend = assay_backend_client
    require(backend, "conv2d", "f32")
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (2, 256, 14, 14)).astype(np.float32)
    w = rng.uniform(-1, 1, (256, 256, 3, 3)).astype(np.float32)
    out = backend.execute("conv2d", "f32", [x, w], {"padding": [1, 1]})[0]
    assert out.shape == (2, 256, 14, 14)
    # spot-check one output position against the definition
    n, f, i, j = 1, 17, 0, 5
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    ref = (xp[n, :, i:i + 3, j:j + 3] * w[f].astype(np.float64)).sum()
    assert abs(out[n, f, i, j] - ref) <= 1e-5 * np.sqrt(256 * 9) + 1.3e-6 * abs(ref)
