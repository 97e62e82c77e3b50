"""Unit tests of the SDK pieces that need no subprocess."""

import io
import json
import struct

import numpy as np
import pytest

from assay_backend import (Invalid, TensorSpec, Unsupported, bf16_to_f32, decode_tensors, encode_tensors,
                           f32_to_bf16, f64_to_bf16, from_float, opspec, random_inputs)
from assay_backend.framing import EndOfStream, FramingError, MessageReader


def bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def test_bf16_round_to_nearest_even():
    # 1 + 2^-8 is exactly halfway between bf16 1.0 and 1+2^-7: ties to even -> 1.0
    assert f32_to_bf16(np.float32(1 + 2 ** -8)) == 0x3F80
    # 1 + 3*2^-8 is halfway between 1+2^-7 (odd) and 1+2^-6 (even) -> 1+2^-6
    assert f32_to_bf16(np.float32(1 + 3 * 2 ** -8)) == 0x3F82
    # just above halfway rounds up
    assert f32_to_bf16(np.float32(1 + 2 ** -8 + 2 ** -20)) == 0x3F81
    assert f32_to_bf16(np.float32(-2.0)) == 0xC000
    assert f32_to_bf16(np.float32(np.inf)) == 0x7F80
    assert f32_to_bf16(np.float32(-np.inf)) == 0xFF80
    assert f32_to_bf16(np.float32(3.4e38)) == 0x7F80  # beyond bf16 max + half ulp -> inf
    nan = f32_to_bf16(np.array([np.nan, -np.nan], dtype=np.float32))
    assert np.isnan(bf16_to_f32(nan)).all()
    # a NaN whose payload lives only in the low 16 bits must stay NaN
    low_nan = np.array([0x7F800001], dtype=np.uint32).view(np.float32)
    assert np.isnan(bf16_to_f32(f32_to_bf16(low_nan))).all()


def test_bf16_roundtrip_exact_for_all_patterns():
    pats = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    f = bf16_to_f32(pats)
    back = f32_to_bf16(f)
    ok = ~np.isnan(f)
    assert (back[ok] == pats[ok]).all()
    assert np.isnan(bf16_to_f32(back[~ok])).all()


def test_f64_to_bf16_single_rounding():
    # f64 -> f32 would round 1 + 2^-8 + 2^-40 down to the tie 1 + 2^-8, then to 1.0 (wrong)
    x = np.array([1 + 2 ** -8 + 2 ** -40, -(1 + 2 ** -8 + 2 ** -40), 1 + 2 ** -8, 1e300, -1e-300, 0.0])
    got = f64_to_bf16(x)
    assert list(got[:3]) == [0x3F81, 0xBF81, 0x3F80]
    assert got[3] == 0x7F80 and got[4] in (0x8000,) and got[5] == 0
    # agrees with exact rounding on random data
    rng = np.random.default_rng(0)
    y = rng.standard_normal(100000) * 10.0 ** rng.integers(-30, 30, 100000)
    got = bf16_to_f32(f64_to_bf16(y)).astype(np.float64)
    lo = bf16_to_f32(f64_to_bf16(y) - 1).astype(np.float64)
    hi = bf16_to_f32(f64_to_bf16(y) + 1).astype(np.float64)
    assert (np.abs(got - y) <= np.abs(lo - y)).all() and (np.abs(got - y) <= np.abs(hi - y)).all()


def test_from_float_f16_direct_rounding():
    x = np.array([1 + 2 ** -11 + 2 ** -40])
    assert from_float(x, "f16")[0] == np.float16(1 + 2 ** -10)


def test_tensor_codec_roundtrip():
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False, True]),
              np.arange(4, dtype=np.float64), f32_to_bf16(np.array([1.5, -2], dtype=np.float32)),
              np.zeros((0, 4), dtype=np.int8), np.array(7, dtype=np.int32)]
    descs, bufs, total = encode_tensors(arrays)
    assert descs[0] == {"dtype": "f32", "shape": [2, 3], "nbytes": 24}
    assert descs[3]["dtype"] == "bf16" and descs[5]["shape"] == []
    payload = bytearray(b"".join(bytes(b) for b in bufs))
    assert len(payload) == total
    back = decode_tensors(descs, payload)
    for a, b in zip(arrays, back):
        assert a.dtype == b.dtype and a.shape == b.shape and (a == b).all()
    assert back[2].ctypes.data % 8 == 0  # f64 after an odd-sized bool tensor is realigned


@pytest.mark.parametrize("descs,payload", [
    ([{"dtype": "f32", "shape": [2], "nbytes": 4}], b"\0" * 4),          # nbytes != shape
    ([{"dtype": "f32", "shape": [2], "nbytes": 8}], b"\0" * 12),         # sum != payload
    ([{"dtype": "f8", "shape": [2], "nbytes": 2}], b"\0" * 2),           # unknown dtype
    ([{"dtype": "f32", "shape": [-1], "nbytes": 0}], b""),               # negative dim
    ([{"dtype": "f32", "shape": [1]}], b"\0" * 4),                       # missing nbytes
    ("nope", b""),
])
def test_tensor_codec_rejects(descs, payload):
    with pytest.raises(Invalid):
        decode_tensors(descs, bytearray(payload))


def test_reader_framing():
    big = b"{" + b" " * (1 << 20) + b"}\n"
    stream = io.BufferedReader(io.BytesIO(b'{"type":"a"}\n' + big + b"[1]\n" + b"nope\n" +
                                          b'{"type":"b","payload_bytes":3}\nxyz' + b'{"type":"c"'))
    r = MessageReader(stream)
    assert r.read_header() == {"type": "a"}
    with pytest.raises(FramingError):
        r.read_header()
    with pytest.raises(FramingError):
        r.read_header()
    with pytest.raises(FramingError):
        r.read_header()
    h = r.read_header()
    assert h["type"] == "b" and bytes(r.read_payload(3)) == b"xyz"
    with pytest.raises(EndOfStream):
        r.read_header()


def test_reader_spins_then_blocks_on_a_real_pipe():
    # The spin before a header must neither lose nor reorder bytes, whether the request comes
    # during the spin, after it (the blocking read takes over) or was already in the pipe.
    import os, threading, time
    read_end, write_end = os.pipe()
    stream = os.fdopen(read_end, "rb", buffering=1 << 16)
    reader = MessageReader(stream, spin_seconds=0.002)
    assert reader.poller is not None
    reader.await_request()  # nothing comes: it must return, not wait forever
    os.write(write_end, b'{"type":"now","payload_bytes":2}\nab')
    header = reader.read_header()
    assert header["type"] == "now" and bytes(reader.read_payload(2)) == b"ab"
    late = threading.Timer(0.05, lambda: os.write(write_end, b'{"type":"late"}\n'))
    late.start()
    assert reader.read_header() == {"type": "late"}
    late.join()
    os.close(write_end)
    with pytest.raises(EndOfStream):
        reader.read_header()
    stream.close()
    # An in-memory stream has no descriptor to poll: no spin, same reads.
    assert MessageReader(io.BufferedReader(io.BytesIO(b'{"a":1}\n')), spin_seconds=1).poller is None


def test_reader_decides_every_header_as_json_loads():
    # read_header's direct scanner call must agree with json.loads on the value or the error
    lines = [b'{"type":"a","id":1,"inputs":[{"shape":[2,3]}]}', b' {"type":"a"}', b'{"type":"a"} ',
             b'{"a":1}{"b":2}', b'{"a":1} x', b'{"a":1,}', b'{"a":NaN}', b'{"a":1e400}', b'{"a":"\\u00e9"}',
             b'{"a":1,"a":2}', b'{}', b'{', b'{"a":[1,2]', b'{"a":"x\tb"}', b'\t{"a":1}\r', b'"{}"', b'[{}]']
    for line in lines:
        text = line.decode("utf-8") + "\n"
        try:
            want = json.loads(text)
        except ValueError as exc:
            want = FramingError("header is not valid JSON: %s" % exc)
        try:
            got = MessageReader(io.BufferedReader(io.BytesIO(line + b"\n"))).read_header()
        except FramingError as exc:
            got = exc
        if isinstance(want, FramingError) or not isinstance(want, dict):
            assert isinstance(got, FramingError), line
            if isinstance(want, FramingError):
                assert str(got) == str(want), line
        else:
            assert got == want, line


def test_opspec_normalises_and_rejects():
    call = opspec.check("reduce_mean", "f32", {"axes": [-1, 0], "keepdim": True},
                        [TensorSpec("f32", (2, 3, 4))])
    assert call.attrs["axes"] == [0, 2] and call.out_shape == (1, 3, 1)
    call = opspec.check("conv2d", "f32", {"stride": [2, 2], "padding": [3, 3]},
                        [TensorSpec("f32", (1, 3, 224, 224)), TensorSpec("f32", (64, 3, 7, 7))])
    assert call.out_shape == (1, 64, 112, 112)
    call = opspec.check("scaled_dot_product_attention", "bf16", {},
                        [TensorSpec("bf16", (1, 2, 3, 16))] * 3)
    assert call.attrs["scale"] == 0.25
    assert opspec.check("transpose", "f16", {}, [TensorSpec("f16", (2, 3, 4))]).out_shape == (4, 3, 2)
    with pytest.raises(Unsupported):
        opspec.check("frobnicate", "f32", {}, [])
    with pytest.raises(Unsupported):
        opspec.check("matmul", "int8", {}, [])
    with pytest.raises(Unsupported):
        opspec.check("relu", "f32", {"inplace": True}, [TensorSpec("f32", (2,))])
    with pytest.raises(Unsupported):
        opspec.check("gelu", "f32", {"approximate": "sigmoid"}, [TensorSpec("f32", (2,))])
    with pytest.raises(Invalid):
        opspec.check("gelu", "f32", {"approximate": 3}, [TensorSpec("f32", (2,))])
    with pytest.raises(Invalid):
        opspec.check("matmul", "f32", {}, [TensorSpec("f32", (2, 3)), TensorSpec("f32", (4, 2))])
    with pytest.raises(Invalid):
        opspec.check("add", "f32", {}, [TensorSpec("f32", (2, 3)), TensorSpec("f32", (4,))])
    with pytest.raises(Invalid):
        opspec.check("reduce_sum", "f32", {"axes": [0, -2]}, [TensorSpec("f32", (2, 3))])
    with pytest.raises(Invalid):
        opspec.check("matmul", "f32", {}, [TensorSpec("f16", (2, 2)), TensorSpec("f32", (2, 2))])


def test_random_inputs_follow_the_protocol():
    specs = [TensorSpec("int32", (1000,)), TensorSpec("bf16", (50, 8)), TensorSpec("int8", (1000,)),
             TensorSpec("f32", (1000,))]
    idx, w, i8, f = random_inputs(specs, 42)
    assert idx.dtype == np.int32 and idx.min() >= 0 and idx.max() < 50
    assert w.dtype == np.uint16 and i8.dtype == np.int8 and i8.min() < -100 and i8.max() > 100
    assert f.min() >= -1 and f.max() < 1 and np.count_nonzero(f) > 990
    again = random_inputs(specs, 42)
    assert all((a == b).all() for a, b in zip(again, (idx, w, i8, f)))


def test_headers_are_strict_json():
    from assay_backend.framing import encode_header
    data = encode_header({"type": "samples", "x": float("nan"), "s": "a\nb", "n": np.int64(3)})
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert json.loads(data) == {"type": "samples", "x": None, "s": "a\nb", "n": 3}


def test_benchmark_inputs_are_reused_within_a_case_and_replaced_between_cases():
    from assay_backend import Backend

    class Counting(Backend):
        made = 0

        def make_inputs(self, op, dtype, attrs, specs, seed):
            Counting.made += 1
            return random_inputs(specs, seed)

        def prepare(self, op, dtype, attrs, inputs):
            return lambda: np.add(*inputs)

    backend = Counting()
    specs = [TensorSpec("f32", [64]), TensorSpec("f32", [64])]
    for _ in range(3):
        assert len(backend.benchmark("add", "f32", {}, specs, 7, "warm", 1, 2)["elapsed_ns"]) == 2
    assert Counting.made == 1  # the sampler's repeated requests for one case generate once
    backend.benchmark("add", "f32", {}, specs, 8, "warm", 1, 2)  # another seed is another case
    backend.benchmark("add", "f32", {}, [TensorSpec("f32", [32])] * 2, 8, "warm", 1, 2)
    assert Counting.made == 3
    first = backend.benchmark_inputs("add", "f32", {}, specs, 9, lambda: random_inputs(specs, 9))
    again = backend.benchmark_inputs("add", "f32", {}, specs, 9, lambda: pytest.fail("regenerated"))
    assert first is again
    backend.forget_inputs()
    assert Counting.made == 3 and backend._input_cache is None

    class OwnInit(Counting):
        def __init__(self):  # does not call Backend.__init__: the cache still works
            self.options = {}

    own = OwnInit()
    for _ in range(2):
        own.benchmark("add", "f32", {}, specs, 7, "warm", 1, 2)
    assert Counting.made == 4


def test_samples_are_taken_with_the_garbage_collector_paused():
    import gc
    from assay_backend import Backend, collector_paused

    seen = []

    class Probing(Backend):
        def prepare(self, op, dtype, attrs, inputs):
            return lambda: seen.append(gc.isenabled())

    assert gc.isenabled()
    Probing().benchmark("add", "f32", {}, [TensorSpec("f32", [4])] * 2, 1, "warm", 2, 3)
    assert seen[0] is True and seen[1:] == [False] * 6  # warm-up untouched; 3 samples x k=2 paused
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("a failing sample")
    assert gc.isenabled()  # restored even when a sample raises
