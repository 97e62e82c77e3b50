"""ABP 1.1 feature `shm`: large tensors in a shared-memory region instead of the pipe.

The plugin creates the region (a sealed memfd) when the harness offers `shm` in its hello,
writes the harness's nonce at offset 0 and announces the descriptor number in its hello reply;
the harness opens it through /proc/<plugin pid>/fd/<n>, checks it and maps it
(docs/PROTOCOL.md, "Feature shm"; docs/DECISIONS.md says why this way round). Afterwards the
region is a plain byte area: every offset and length travels in the pipe's headers and is
checked by the reader, so nothing in the region is ever trusted as structure.
"""

import fcntl
import math
import mmap
import os

import numpy as np

from .errors import Invalid
from .framing import is_int

FEATURE = "shm"
ALIGN = 64  # tensors start on cache-line boundaries (and so on every itemsize)
MAX_NONCE_BYTES = 64


def supported():
    """Whether this platform can create a sealed memfd (Linux, Python >= 3.8)."""
    return hasattr(os, "memfd_create") and hasattr(fcntl, "F_ADD_SEALS")


def align(offset):
    return (offset + ALIGN - 1) // ALIGN * ALIGN


class Offer(object):
    """The harness's hello `shm` object: region size, tensor threshold and nonce."""

    def __init__(self, obj):
        if not isinstance(obj, dict):
            raise Invalid("hello shm must be an object")
        self.nbytes, self.threshold = obj.get("bytes"), obj.get("threshold_bytes", 0)
        if not is_int(self.nbytes) or self.nbytes < 1:
            raise Invalid("hello shm.bytes must be a positive integer, got %r" % (self.nbytes,))
        if not is_int(self.threshold) or self.threshold < 0:
            raise Invalid("hello shm.threshold_bytes must be a non-negative integer, got %r" % (self.threshold,))
        nonce = obj.get("nonce")
        try:
            self.nonce = bytes.fromhex(nonce)
        except (TypeError, ValueError):
            raise Invalid("hello shm.nonce must be a hex string, got %r" % (nonce,))
        if not 0 < len(self.nonce) <= MAX_NONCE_BYTES or len(self.nonce) > self.nbytes:
            raise Invalid("hello shm.nonce must hold 1 to %d bytes, fewer than shm.bytes" % MAX_NONCE_BYTES)


class Region(object):
    """A memfd sealed against shrinking and growing (so the harness's mapping can never lose
    its pages under it: no SIGBUS), mapped here, with the nonce written at offset 0."""

    def __init__(self, offer):
        fd = os.memfd_create("assay-shm", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.ftruncate(fd, offer.nbytes)  # sparse: pages exist once touched
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
            self.map = mmap.mmap(fd, offer.nbytes, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd  # open until the harness has opened it (the next request proves it has)
        self.nbytes = offer.nbytes
        self.threshold = offer.threshold
        self.view = memoryview(self.map)
        self.view[:len(offer.nonce)] = offer.nonce
        # The mapping's address, to recognise outputs a backend built inside the window.
        self.address = np.frombuffer(self.map, dtype=np.uint8).__array_interface__["data"][0]

    def grant(self):
        """The hello reply's `shm` object."""
        return {"fd": self.fd, "bytes": self.nbytes}

    def release_fd(self):
        """Closes the plugin's own descriptor once the harness holds the mapping, so that
        processes the backend starts cannot inherit it."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def close(self):
        self.release_fd()
        self.view.release()
        try:
            self.map.close()
        except BufferError:  # arrays still view it: the mapping goes with the last of them
            pass

    def buffer(self, offset, nbytes, where):
        """The region's bytes [offset, offset + nbytes) as a writable memoryview; `Invalid`
        when the range is not inside the region."""
        if not is_int(offset) or offset < 0 or offset > self.nbytes - nbytes:
            raise Invalid("%s: shm_offset %r + nbytes %d is outside the %d-byte shared region"
                          % (where, offset, nbytes, self.nbytes))
        return self.view[offset:offset + nbytes]

    def window(self, header):
        """The request's `shm_out` (where outputs may go) as (start, end), or None."""
        out = header.get("shm_out")
        if out is None:
            return None
        if not isinstance(out, dict):
            raise Invalid("shm_out must be an object")
        start, size = out.get("offset"), out.get("bytes")
        if not (is_int(start) and is_int(size) and 0 <= start and 0 <= size <= self.nbytes - start):
            raise Invalid("shm_out %r is not inside the %d-byte shared region" % (out, self.nbytes))
        return start, start + size

    def outputs(self, window):
        """An `Outputs` allocator over `window` (see `Backend.output_array`)."""
        return Outputs(self, window)

    def offset_of(self, buf, window):
        """The region offset of `buf` when its bytes lie inside `window`, else None."""
        if not isinstance(buf, memoryview) or buf.readonly:
            return None
        start = np.frombuffer(buf, dtype=np.uint8).__array_interface__["data"][0] - self.address
        return start if window[0] <= start and start + buf.nbytes <= window[1] else None

    def place(self, window, descs, bufs, reserved=None):
        """Marks each output of at least `threshold` bytes with `shm_offset`: one that the
        backend built inside the window (`Outputs`) stays where it is, without a copy, unless
        it overlaps one placed before it; the others that still fit are copied into the
        window (aligned, in order) after everything in place and after `reserved` (the end of
        the allocator's arrays). Returns the buffers left for the pipe and their total."""
        threshold = max(self.threshold, 1)
        large = [index for index, desc in enumerate(descs) if desc["nbytes"] >= threshold]
        if not large:  # a tiny reply: everything keeps the pipe
            return bufs, sum([desc["nbytes"] for desc in descs])
        placed, copies = [], []
        for index in large:
            desc, buf, n = descs[index], bufs[index], descs[index]["nbytes"]
            start = self.offset_of(buf, window)
            if start is not None and all(start + n <= a or b <= start for a, b in placed):
                desc["shm_offset"] = start
                placed.append((start, start + n))
            else:
                copies.append(index)
        cursor = align(max([window[0], reserved or 0] + [b for _, b in placed]))
        end = window[1]
        for index in copies:
            desc, n = descs[index], descs[index]["nbytes"]
            if cursor + n <= end:
                self.view[cursor:cursor + n] = bufs[index]
                desc["shm_offset"] = cursor
                cursor = align(cursor + n)
        pipe, total = [], 0
        for desc, buf in zip(descs, bufs):
            if "shm_offset" not in desc:
                pipe.append(buf)
                total += desc["nbytes"]
        return pipe, total


class Outputs(object):
    """Hands out arrays inside a request's `shm_out` window, one after the other (aligned),
    so that a backend can compute its results straight into the region: such an output
    crosses to the harness without a copy. Valid until the reply is sent, like the inputs
    that view the region (the next request reuses it)."""

    __slots__ = ("region", "cursor", "end")

    def __init__(self, region, window):
        self.region, self.cursor, self.end = region, align(window[0]), window[1]

    def take(self, shape, dtype):
        """An uninitialised C-contiguous array in the window, or None when it is below the
        region's threshold or no longer fits."""
        dtype = np.dtype(dtype)
        count = math.prod(shape)
        n = count * dtype.itemsize
        if n < max(self.region.threshold, 1) or self.cursor + n > self.end:
            return None
        start = self.cursor
        self.cursor = align(start + n)
        return np.frombuffer(self.region.map, dtype=dtype, count=count, offset=start).reshape(shape)
