"""The ops model graphs need (docs/OPS.md, from `reshape` on), every float dtype, through the
protocol. Data movement, `where`, `masked_fill` and `cast` must be bit for bit (special values
included); `argmax`/`topk` must follow the catalogue's order (NaN first, ties by position);
`batch_norm` is checked against a float64 reference with the OPS.md tolerance.

Like ops_tests.py, the tests take the `assay_backend_client` fixture; an op x dtype the backend
does not claim is skipped."""

import numpy as np
import pytest

from assay_backend import from_float

from . import reference as R
from .ops_tests import FLOATS, rand, require, with_specials


def _bits(a):
    """Storage array as raw bits, so NaN and -0 compare exactly."""
    a = np.ascontiguousarray(a)
    return a.view({1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize])


def _wire(a):
    return {"float64": "f64", "float32": "f32", "float16": "f16", "uint16": "bf16"}[a.dtype.name]


def _cases():
    c = []

    def add(name, op, attrs, make, ref):
        c.append(pytest.param(op, attrs, make, ref, id=name))

    add("reshape", "reshape", {"to": [6, -1]}, lambda g, d: [with_specials(g, d, (3, 4, 5))], lambda x: x.reshape(6, -1))
    add("concat_axis1", "concat", {"axis": 1},
        lambda g, d: [with_specials(g, d, (2, 3, 4)), rand(g, d, (2, 1, 4)), rand(g, d, (2, 0, 4))],
        lambda *xs: np.concatenate(xs, axis=1))
    add("slice", "slice", {"axis": -1, "start": 2, "end": 7}, lambda g, d: [with_specials(g, d, (3, 9))],
        lambda x: x[:, 2:7])
    add("gather_axis1", "gather", {"axis": 1},
        lambda g, d: [with_specials(g, d, (2, 6, 3)), np.array([5, 0, 0, 3], dtype=np.int32)],
        lambda x, i: np.take(x, i, axis=1))
    add("repeat_interleave_kv_heads", "repeat_interleave", {"repeats": 3, "axis": 1},
        lambda g, d: [with_specials(g, d, (1, 2, 4, 5))], lambda x: np.repeat(x, 3, axis=1))
    add("where_broadcast_cond", "where", {},
        lambda g, d: [g.integers(0, 2, (4,)).astype(bool), with_specials(g, d, (3, 4)), rand(g, d, (3, 4))],
        lambda c, a, b: np.where(c, a, b))
    add("masked_fill", "masked_fill", {"value": -10000.0},
        lambda g, d: [with_specials(g, d, (2, 5, 5)), np.triu(np.ones((5, 5), dtype=bool), 1)],
        lambda x, m: np.where(m, from_float(np.array(-10000.0), _wire(x)), x))
    return c


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op,attrs,make,ref", _cases())
def test_data_movement_is_bit_exact(assay_backend_client, op, attrs, make, ref, dtype):
    backend = assay_backend_client
    require(backend, op, dtype)
    rng = np.random.default_rng(abs(hash((op, dtype))) % (1 << 32))
    inputs = make(rng, dtype)
    out = backend.execute(op, dtype, inputs, attrs)[0]
    expected = np.asarray(ref(*inputs))
    assert out.shape == expected.shape, "%s on %s: shape %s, expected %s" % (op, backend.name, out.shape, expected.shape)
    assert (_bits(out) == _bits(expected.astype(out.dtype))).all(), "%s %s on %s differs bit for bit" % (op, dtype, backend.name)


@pytest.mark.parametrize("dtype", FLOATS)
def test_argmax_and_topk_order(assay_backend_client, dtype):
    backend = assay_backend_client
    require(backend, "argmax", dtype)
    require(backend, "topk", dtype)
    # NaN ranks first (the first NaN first), then +inf, then equal values by position, -0 and +0 equal.
    x = from_float(np.array([[1.0, np.nan, 3.0, 3.0, np.nan, -0.0, 0.0, np.inf]]), dtype)
    assert backend.execute("argmax", dtype, [x], {})[0].tolist() == [1]
    order = backend.execute("topk", dtype, [x], {"k": 8})[0]
    assert order.dtype == np.int32 and order.tolist() == [[1, 4, 7, 2, 3, 0, 5, 6]], order
    flat = from_float(np.zeros((2, 5)), dtype)
    assert backend.execute("topk", dtype, [flat], {"k": 3, "axis": 1})[0].tolist() == [[0, 1, 2], [0, 1, 2]]
    assert backend.execute("argmax", dtype, [flat], {"axis": 0, "keepdim": True})[0].tolist() == [[0] * 5]


@pytest.mark.parametrize("source,target", [("f64", "f32"), ("f64", "f16"), ("f32", "f16"), ("f32", "bf16"), ("f16", "bf16")])
def test_cast_rounds_to_nearest_even(assay_backend_client, source, target):
    backend = assay_backend_client
    require(backend, "cast", source)
    # 1 + half an ulp of the target (a tie: to even, i.e. 1) and 1 + 1.5 ulp (a tie: up, to 1 + 2 ulp).
    ulp = {"f32": 2.0 ** -23, "f16": 2.0 ** -10, "bf16": 2.0 ** -7}[target]
    x = from_float(np.array([1 + ulp / 2, 1 + 1.5 * ulp, -(1 + 1.5 * ulp), 1e-30, np.inf, np.nan]), source)
    got = R.f64(backend.execute("cast", source, [x], {"to": target})[0])
    assert got[0] == 1 and got[1] == 1 + 2 * ulp and got[2] == -(1 + 2 * ulp), got
    assert got[4] == np.inf and np.isnan(got[5])


@pytest.mark.parametrize("dtype", FLOATS)
def test_batch_norm_inference(assay_backend_client, dtype):
    backend = assay_backend_client
    require(backend, "batch_norm", dtype)
    rng = np.random.default_rng(7)
    x, mean, w, b = rand(rng, dtype, (2, 4, 3, 3)), rand(rng, dtype, (4,)), rand(rng, dtype, (4,)), rand(rng, dtype, (4,))
    var = from_float(np.abs(rng.uniform(-1, 1, 4)), dtype)
    out = backend.execute("batch_norm", dtype, [x, mean, var, w, b], {"eps": 1e-5})[0]
    c = (1, 4, 1, 1)
    ref = (R.f64(x) - R.f64(mean).reshape(c)) / np.sqrt(R.f64(var).reshape(c) + 1e-5) * R.f64(w).reshape(c) + R.f64(b).reshape(c)
    R.assert_close(out, ref, dtype, 1, what="batch_norm on %s" % backend.name)
