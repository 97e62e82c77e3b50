"""opspec.check and the framing take arrays of any library whose dtype maps to a wire
dtype: numpy, ml_dtypes bfloat16 (JAX's), objects with only __array__ or __dlpack__,
and dtype objects spelled as torch spells them."""

import importlib.util

import numpy as np
import pytest

from assay_backend import as_numpy, decode_tensors, encode_tensors, f32_to_bf16, opspec, wire_name

HAVE_ML_DTYPES = importlib.util.find_spec("ml_dtypes") is not None


class OnlyArray(object):
    """An array library object numpy can read through __array__ (no dtype, no shape)."""

    def __init__(self, array):
        self._array = array

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype is None else self._array.astype(dtype)


class OnlyDLPack(object):
    """An object that offers its data through DLPack alone."""

    def __init__(self, array):
        self._array = array

    def __dlpack__(self, **kwargs):
        return self._array.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


class TorchLikeDType(object):
    def __str__(self):
        return "torch.bfloat16"


class TorchLike(object):
    dtype = TorchLikeDType()
    shape = (2, 3)


@pytest.mark.skipif(not HAVE_ML_DTYPES, reason="ml_dtypes is not installed")
def test_ml_dtypes_bfloat16_is_bf16_in_check_and_framing():
    import ml_dtypes
    x = np.array([[1.5, -2.0, 3.0e-39], [0.0, -0.0, np.inf]], dtype=np.float32)
    b = x.astype(ml_dtypes.bfloat16)
    assert wire_name(b) == "bf16"
    call = opspec.check("relu", "bf16", {}, [b])
    assert call.out_shape == (2, 3) and call.out_dtype == "bf16"
    descs, bufs, total = encode_tensors([b])
    assert descs == [{"dtype": "bf16", "shape": [2, 3], "nbytes": 12}] and total == 12
    bits = decode_tensors(descs, b"".join(bytes(v) for v in bufs), "outputs")[0]
    # the same bits, not a numeric cast of bfloat16 values to uint16
    assert (bits == f32_to_bf16(x)).all()


def test_array_and_dlpack_objects():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for wrapped in (OnlyArray(x), OnlyDLPack(x)):
        assert opspec.check("add", "f32", {}, [wrapped, x]).out_shape == (2, 3)
        descs, bufs, total = encode_tensors([wrapped])
        assert descs == [{"dtype": "f32", "shape": [2, 3], "nbytes": 24}]
        assert (decode_tensors(descs, b"".join(bytes(v) for v in bufs), "outputs")[0] == x).all()
    assert as_numpy(OnlyDLPack(x)).dtype == np.float32


def test_dtype_named_as_torch_names_it():
    assert opspec.check("relu", "bf16", {}, [TorchLike()]).out_shape == (2, 3)


def test_unmappable_dtype_names_itself_and_the_wire_dtypes():
    with pytest.raises(TypeError) as caught:
        opspec.check("relu", "f32", {}, [np.zeros(3, np.complex64)])
    assert "dtype complex64 has no wire dtype" in str(caught.value) and "bfloat16" in str(caught.value)
    # a wrong dtype that does map is the call's error, named as the catalogue names it
    with pytest.raises(Exception) as mismatch:
        opspec.check("relu", "f32", {}, [np.zeros(3, np.float16)])
    assert "has dtype f16, expected f32" in str(mismatch.value)
