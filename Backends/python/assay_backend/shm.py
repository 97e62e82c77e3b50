"""ABP 1.1 feature `shm`: large tensors in a shared-memory region instead of the pipe.

The plugin creates the region (a sealed memfd) when the harness offers `shm` in its hello,
writes the harness's nonce at offset 0 and announces the descriptor number in its hello reply;
the harness opens it through /proc/<plugin pid>/fd/<n>, checks it and maps it
(docs/PROTOCOL.md, "Feature shm"; docs/DECISIONS.md says why this way round). Afterwards the
region is a plain byte area: every offset and length travels in the pipe's headers and is
checked by the reader, so nothing in the region is ever trusted as structure.
"""

import fcntl
import mmap
import os

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

    def place(self, window, descs, bufs):
        """Copies each output of at least `threshold` bytes that still fits into the window
        (aligned, in order) and marks its descriptor with `shm_offset`; returns the buffers
        left for the pipe and their total."""
        cursor, end = align(window[0]), window[1]
        pipe, total = [], 0
        for desc, buf in zip(descs, bufs):
            n = desc["nbytes"]
            if n and n >= self.threshold and cursor + n <= end:
                self.view[cursor:cursor + n] = buf
                desc["shm_offset"] = cursor
                cursor = align(cursor + n)
            else:
                pipe.append(buf)
                total += n
        return pipe, total
