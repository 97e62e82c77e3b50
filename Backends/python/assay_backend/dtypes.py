"""Wire dtypes and the numpy arrays that carry them.

Each wire dtype maps to exactly one numpy storage dtype, so a numpy array alone
identifies its wire dtype:

    f64 -> float64   f32 -> float32   f16 -> float16
    bf16 -> uint16 (raw bfloat16 bit patterns)
    int8 -> int8     int32 -> int32   bool -> bool (1 byte)

bfloat16 conversions round to nearest, ties to even, in one step (also from
float64, via round-to-odd to float32 first, so there is no double rounding).
"""

import numpy as np

from .errors import Invalid

WIRE_DTYPES = {
    "f64": np.dtype("<f8"),
    "f32": np.dtype("<f4"),
    "f16": np.dtype("<f2"),
    "bf16": np.dtype("<u2"),
    "int8": np.dtype("i1"),
    "int32": np.dtype("<i4"),
    "bool": np.dtype("?"),
}

FLOAT_DTYPES = ("f64", "f32", "f16", "bf16")

_BY_NUMPY = {
    np.dtype("float64"): "f64",
    np.dtype("float32"): "f32",
    np.dtype("float16"): "f16",
    np.dtype("uint16"): "bf16",
    np.dtype("int8"): "int8",
    np.dtype("int32"): "int32",
    np.dtype("bool"): "bool",
}


def storage_dtype(name):
    """The numpy dtype that carries wire dtype `name` (raises Invalid if unknown)."""
    try:
        return WIRE_DTYPES[name]
    except (KeyError, TypeError):
        raise Invalid("unknown dtype %r (known: %s)" % (name, ", ".join(WIRE_DTYPES)))


def itemsize(name):
    return storage_dtype(name).itemsize


# dtype names as numpy, ml_dtypes, torch ("torch.bfloat16"), JAX and CuPy spell them
_BY_NAME = {
    "float64": "f64", "float32": "f32", "float16": "f16", "bfloat16": "bf16", "uint16": "bf16",
    "int8": "int8", "int32": "int32", "bool": "bool", "bool_": "bool",
}


def wire_name_of_dtype(dtype):
    """The wire dtype of an array library's dtype object, or None. A numpy dtype is looked
    up by kind and size (byte order aside); others by name, so ml_dtypes' bfloat16 (JAX's
    bf16) and torch.bfloat16 are bf16, and uint16 is bf16 as the SDK stores it."""
    try:
        dt = np.dtype(dtype).newbyteorder("=")
        name = _BY_NUMPY.get(dt)
        if name is not None:
            return name
    except (TypeError, ValueError):  # not a numpy dtype (torch, TensorFlow...)
        pass
    text = getattr(dtype, "name", None)
    if not isinstance(text, str):
        text = str(dtype)
    return _BY_NAME.get(text.rsplit(".", 1)[-1])


def wire_name(array):
    """The wire dtype of an array: a numpy array (uint16 means bf16) or any object with a
    `dtype` (JAX, torch, CuPy, ml_dtypes bfloat16)."""
    dtype = getattr(array, "dtype", None)
    name = wire_name_of_dtype(dtype) if dtype is not None else None
    if name is None:
        raise TypeError("dtype %s has no wire dtype; convert to one of %s"
                        % (dtype, ", ".join(sorted(set(_BY_NAME) - {"bool_"}))))
    return name


def as_numpy(array):
    """A numpy array in the storage dtype of its wire dtype (bf16 as uint16 bit patterns)
    from a numpy array, an object with `__array__` (JAX, CuPy via .get()), or one with
    `__dlpack__` (torch, JAX, CuPy)."""
    if not isinstance(array, np.ndarray):
        if hasattr(array, "__array__"):
            array = np.asarray(array)
        elif hasattr(array, "__dlpack__"):
            array = np.from_dlpack(array)
        else:
            array = np.asarray(array)
    name = wire_name(array)
    storage = WIRE_DTYPES[name].newbyteorder("=")
    if array.dtype == storage:
        return array
    if name == "bf16" and array.dtype.itemsize == 2:
        return array.view(storage)  # ml_dtypes bfloat16: the same bits
    return array.astype(storage)


# ---------------------------------------------------------------- bfloat16

def bf16_to_f32(bits):
    """uint16 bfloat16 bit patterns -> float32 (exact)."""
    bits = np.asarray(bits, dtype=np.uint16)
    return (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)


def f32_to_bf16(x):
    """float32 -> uint16 bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN."""
    x = np.asarray(x, dtype=np.float32)
    u = x.view(np.uint32)
    lsb = (u >> np.uint32(16)) & np.uint32(1)
    rounded = ((u + np.uint32(0x7FFF) + lsb) >> np.uint32(16)).astype(np.uint16)
    is_nan = (u & np.uint32(0x7FFFFFFF)) > np.uint32(0x7F800000)
    if is_nan.any():
        quiet = ((u >> np.uint32(16)) | np.uint32(0x0040)).astype(np.uint16)
        rounded = np.where(is_nan, quiet, rounded)
    return rounded


def f64_to_bf16(x):
    """float64 -> uint16 bfloat16 bits with a single correct rounding (nearest even).

    float64 is first rounded to float32 with round-to-odd (24 >= 8 + 2 bits, so
    the second, nearest-even rounding to bfloat16 is then exact-as-if-once)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        f = x.astype(np.float32)
        back = f.astype(np.float64)
        inexact = (back != x) & np.isfinite(x)
        if inexact.any():
            # truncate toward zero, then set the last bit (round to odd)
            too_big = np.abs(back) > np.abs(x)
            f = np.where(inexact & too_big, np.nextafter(f, np.float32(0)), f).astype(np.float32)
            u = f.view(np.uint32) | np.where(inexact, np.uint32(1), np.uint32(0))
            f = u.view(np.float32)
    return f32_to_bf16(f)


# ------------------------------------------------------- float conversions

def to_float(array, compute=np.float32):
    """Storage array -> float array of dtype `compute` (float32 or float64).

    bf16 (uint16) is decoded; f16/f32/f64 are cast (exactly, when widening)."""
    array = np.asarray(array)
    if array.dtype == np.uint16:
        return bf16_to_f32(array).astype(compute, copy=False)
    return array.astype(compute, copy=False)


def from_float(x, name):
    """Float array (float32 or float64) -> storage array of wire dtype `name`, rounded once."""
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "bf16":
            if x.dtype == np.float64:
                return f64_to_bf16(x)
            return f32_to_bf16(x.astype(np.float32, copy=False))
        if name in ("f64", "f32", "f16"):
            return x.astype(WIRE_DTYPES[name].newbyteorder("="), copy=False)
    raise Invalid("from_float: %r is not a float dtype" % (name,))


def round_to(x, name):
    """Round a float64 array to wire dtype `name` and return it as float64 again."""
    return to_float(from_float(np.asarray(x, dtype=np.float64), name), np.float64)
