"""ABP v1 framing: one JSON header line, then exactly `payload_bytes` raw bytes.

A header is a UTF-8 JSON object without raw newlines, terminated by "\\n", at
most MAX_HEADER_BYTES bytes (newline excluded). Tensors travel in the payload as
raw little-endian C-contiguous bytes, described in order by the header's
tensor list: `{"dtype": "f32", "shape": [2, 3], "nbytes": 24}`.
"""

import json
import math
import select

import numpy as np

from .dtypes import WIRE_DTYPES, as_numpy, storage_dtype, wire_name
from .errors import Invalid
from .spin import SPIN_SECONDS, spin_poll

PROTOCOL = 1
MINOR = 1  # ABP 1.1: features negotiated in the hello
MAX_HEADER_BYTES = 1 << 20  # 1 MiB, terminating newline not counted


class FramingError(Exception):
    """The header line itself is unusable; `id` is None, the stream stays in sync."""


class EndOfStream(Exception):
    """stdin closed (possibly in the middle of a message)."""


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


# ------------------------------------------------------------------ reading

# The C scanner json.loads ends in: a header that is one object and its newline skips loads'
# Python frames and whitespace regexes (about a tenth of a tiny request's SDK time); any other
# line, an error included, goes through json.loads, which decides and words it as before.
_scan_object = json.JSONDecoder().scan_once

class MessageReader:
    """Reads (header, payload) pairs from a binary, buffered file object."""

    def __init__(self, stream, max_header_bytes=MAX_HEADER_BYTES, spin_seconds=None):
        self.stream = stream
        self.max_header_bytes = max_header_bytes
        # spin before waiting for a request: the harness sends its next one within a few us of a reply
        self.spin_seconds = SPIN_SECONDS if spin_seconds is None else spin_seconds
        self.poller = None
        if self.spin_seconds > 0:
            try:
                self.poller = select.poll()
                self.poller.register(stream.fileno(), select.POLLIN)
            except (AttributeError, OSError, ValueError):  # an in-memory stream: nothing to wait for
                self.poller = None

    def await_request(self):
        """Polls stdin without sleeping for up to `spin_seconds` (yielding the CPU between
        tries); the read that follows blocks if nothing came. Bytes already in the stream's
        buffer are not seen here: they cost one spin, never a wrong read."""
        if self.poller is not None:
            spin_poll(self.poller, self.spin_seconds)

    def read_header(self):
        """Returns the header dict. Raises EndOfStream at EOF, FramingError for a bad line
        (too long, not UTF-8, not JSON, not an object): the caller answers `invalid`."""
        self.await_request()
        line = self.stream.readline(self.max_header_bytes + 1)
        if not line:
            raise EndOfStream()
        if not line.endswith(b"\n"):
            if len(line) <= self.max_header_bytes:
                raise EndOfStream()  # EOF in the middle of a header
            # too long: skip the rest of the line so the stream stays usable
            while True:
                chunk = self.stream.readline(1 << 16)
                if not chunk:
                    raise EndOfStream()
                if chunk.endswith(b"\n"):
                    break
            raise FramingError("header line exceeds %d bytes" % self.max_header_bytes)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FramingError("header is not UTF-8: %s" % exc)
        try:
            header, end = _scan_object(text, 0) if text[0] == "{" else (None, 0)
        except (StopIteration, ValueError):
            header, end = None, 0
        if end != len(text) - 1:  # not exactly one object and the newline: json.loads decides
            try:
                header = json.loads(text)
            except ValueError as exc:
                raise FramingError("header is not valid JSON: %s" % exc)
        if not isinstance(header, dict):
            raise FramingError("header must be a JSON object, got %s" % type(header).__name__)
        return header

    def skip_payload(self, nbytes):
        """Reads and discards nbytes (keeps the stream in sync without holding them)."""
        left = nbytes
        while left:
            chunk = self.stream.read(min(left, 1 << 20))
            if not chunk:
                raise EndOfStream()
            left -= len(chunk)

    def read_payload(self, nbytes):
        """Reads exactly nbytes into a bytearray (EndOfStream if stdin closes first)."""
        buf = bytearray(nbytes)
        view = memoryview(buf)
        got = 0
        while got < nbytes:
            n = self.stream.readinto(view[got:])
            if not n:
                raise EndOfStream()
            got += n
        return buf


def payload_size(header):
    """The announced payload size (0 when absent); FramingError when unusable."""
    n = header.get("payload_bytes", 0)
    if n is None:
        return 0
    if not is_int(n) or n < 0:
        raise FramingError("payload_bytes must be a non-negative integer, got %r" % (n,))
    return n


# ------------------------------------------------------------------ writing

def _clean(value):
    """Make a value strict-JSON safe: non-finite floats become null, numpy scalars plain."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return value


# One encoder for every header: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def encode_header(header):
    try:  # most headers are plain JSON already: the C encoder alone is the fast path
        text = _ENCODER.encode(header)
    except (TypeError, ValueError):  # numpy scalars, non-finite floats
        text = _ENCODER.encode(_clean(header))
    data = text.encode("utf-8")
    if len(data) > MAX_HEADER_BYTES:
        raise ValueError("response header exceeds %d bytes" % MAX_HEADER_BYTES)
    return data + b"\n"


def _desc_json(desc):
    shm = desc.get("shm_offset")
    return '{"dtype":"%s","shape":[%s],"nbytes":%d%s}' % (
        desc["dtype"], ",".join(["%d" % d for d in desc["shape"]]), desc["nbytes"],
        "" if shm is None else ',"shm_offset":%d' % shm)


def encode_result(req_id, descs, payload_bytes):
    """The header of an execute's `result` reply, formatted directly: the same JSON as
    encode_header({"type": "result", "id": req_id, "outputs": descs, "payload_bytes": ...})
    at a fraction of the generic encoder's cost, which dominates a tiny request. For an
    integer id and descriptors as encode_tensors makes them (wire dtype names, integers;
    `shm_offset` from Region.place)."""
    data = ('{"type":"result","id":%d,"outputs":[%s],"payload_bytes":%d}\n'
            % (req_id, ",".join([_desc_json(d) for d in descs]), payload_bytes)).encode("ascii")
    if len(data) > MAX_HEADER_BYTES + 1:
        raise ValueError("response header exceeds %d bytes" % MAX_HEADER_BYTES)
    return data


class MessageWriter:
    """Writes (header, buffers) messages to a binary file object and flushes each one."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, header, buffers=()):
        self.write_line(encode_header(header), buffers)

    def write_line(self, line, buffers=()):
        """Writes an encoded header line and its buffers, then flushes: a small message leaves
        in one write(2) (the stream's buffer holds it), so the harness wakes once."""
        self.stream.write(line)
        for buf in buffers:
            if len(buf):
                self.stream.write(buf)
        self.stream.flush()


# ------------------------------------------------------------------ tensors

class TensorSpec(object):
    """A tensor descriptor without data: wire dtype name and shape tuple."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype = dtype
        self.shape = tuple(shape)

    @property
    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def nbytes(self):
        return self.size * storage_dtype(self.dtype).itemsize

    @property
    def ndim(self):
        return len(self.shape)

    def __iter__(self):  # allows `dtype, shape = spec`
        return iter((self.dtype, self.shape))

    def __repr__(self):
        return "TensorSpec(%r, %r)" % (self.dtype, list(self.shape))


def parse_spec(desc, where, require_nbytes):
    if not isinstance(desc, dict):
        raise Invalid("%s: tensor descriptor must be an object" % where)
    dtype = desc.get("dtype")
    dt = WIRE_DTYPES.get(dtype) if isinstance(dtype, str) else None
    if dt is None:
        storage_dtype(dtype)  # raises Invalid for unknown dtypes
    shape = desc.get("shape")
    size = 1
    for d in shape if isinstance(shape, list) else (-1,):  # one loop: checks and product
        if not is_int(d) or d < 0:
            raise Invalid("%s: shape must be a list of non-negative integers, got %r" % (where, shape))
        size *= d
    spec = TensorSpec(dtype, shape)
    nbytes = desc.get("nbytes")
    if nbytes is None:
        if require_nbytes:
            raise Invalid("%s: nbytes is required" % where)
    elif not is_int(nbytes) or nbytes != size * dt.itemsize:
        raise Invalid("%s: nbytes %r != product(shape %s) x itemsize %d = %d"
                      % (where, nbytes, list(shape), dt.itemsize, size * dt.itemsize))
    return spec


def parse_specs(descs, field, require_nbytes):
    if descs is None:
        descs = []
    if not isinstance(descs, list):
        raise Invalid("%s must be a list of tensor descriptors" % field)
    return [parse_spec(d, "%s[%d]" % (field, i), require_nbytes) for i, d in enumerate(descs)]


def decode_tensors(descs, payload, field="inputs", region=None):
    """Tensor descriptors + payload -> list of numpy arrays (storage dtypes, see dtypes.py).
    A descriptor with `shm_offset` (feature shm) views `region` instead of the payload; such
    arrays are valid until the reply is sent (the next request reuses the region)."""
    specs = parse_specs(descs, field, require_nbytes=True)
    places = []  # (source, offset, spec, dtype, nbytes): one pass, each size computed once
    total = 0
    for index, (spec, desc) in enumerate(zip(specs, descs)):
        dt, n = WIRE_DTYPES[spec.dtype], spec.nbytes
        shared = desc.get("shm_offset")
        if shared is None:
            places.append((payload, total, spec, dt, n))
            total += n
        elif region is None:
            raise Invalid("%s: shm_offset without an agreed shared-memory region" % field)
        else:
            places.append((region.buffer(shared, n, "%s[%d]" % (field, index)), 0, spec, dt, n))
    if total != len(payload):
        raise Invalid("%s: sum of nbytes %d != payload_bytes %d" % (field, total, len(payload)))
    arrays = []
    for source, start, spec, dt, n in places:
        arr = np.frombuffer(source, dtype=dt, count=n // dt.itemsize, offset=start).reshape(spec.shape)
        if start % dt.itemsize:
            arr = arr.copy()  # keep arrays aligned (region offsets are aligned by the sender)
        if not dt.isnative:
            arr = arr.view(dt.newbyteorder("="))  # native-order view (big-endian hosts only)
        arrays.append(arr)
    return arrays


# Native-order storage dtypes -> wire name (bf16 is carried as uint16).
_NATIVE_WIRE = {dt: name for name, dt in WIRE_DTYPES.items() if dt.isnative}


def encode_tensors(arrays):
    """Arrays (see dtypes.as_numpy) -> (descriptors, buffers, total bytes); each buffer
    little-endian C order."""
    descs, bufs, total = [], [], 0
    for arr in arrays:
        name = _NATIVE_WIRE.get(arr.dtype) if type(arr) is np.ndarray else None
        if name is None:  # the fast path above covers numpy arrays already in a storage dtype
            arr = as_numpy(arr)  # numpy, ml_dtypes bfloat16, __array__ or DLPack objects
            name = wire_name(arr)
            arr = arr.astype(storage_dtype(name), copy=False)
        if not arr.flags.c_contiguous:  # (np.ascontiguousarray would turn 0-d into 1-d)
            arr = arr.copy(order="C")
        descs.append({"dtype": name, "shape": [int(d) for d in arr.shape], "nbytes": int(arr.nbytes)})
        bufs.append(memoryview(arr.reshape(-1)).cast("B") if arr.size else b"")
        total += arr.nbytes
    return descs, bufs, total
