"""glibc's malloc thresholds pinned, so a plugin's timings do not depend on its history.

glibc serves a block of at least M_MMAP_THRESHOLD (128 KiB at start) from a fresh mapping, and
raises the threshold to the size of every mapped block the process frees (the "dynamic"
threshold, up to 32 MiB). A numpy backend allocates its outputs and temporaries per call, so
the same case is measured in two states: before the process has freed a block of its size,
every call maps, faults in and unmaps its buffers; after, they come from the heap. Which state
a case sees depends on the cases before it (and on the correctness check before a timing):
measured here, the first round of perf-smoke's softmax and layer_norm was 3-5x slower than
their later rounds, and all_reduce at 16 MiB read 10-15% higher through the plugin than in a
fresh process (docs/DECISIONS.md, "The SDK pins glibc's malloc thresholds").

Setting either threshold with mallopt turns the dynamic rule off. The pinned values are the
state the dynamic rule ends in (the largest mmap threshold glibc allows, and a trim threshold
twice that, as glibc sets it when it raises the threshold), so every case is measured as a
long-running process would run it, from its first call. An explicit
GLIBC_TUNABLES=glibc.malloc.mmap_threshold / trim_threshold is the user's choice and is kept.
"""
import ctypes
import os

#: mallopt parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

#: The largest mmap threshold glibc accepts on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX), and the trim
#: threshold the dynamic rule sets beside it.
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


def _libc():
    # The process's own symbols: the C library is already loaded, so no search for it (find_library
    # runs ldconfig in a subprocess, at every plugin's start-up).
    try:
        mallopt = ctypes.CDLL(None).mallopt  # glibc's; musl and others have none
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt


def pin_thresholds(environ=None):
    """Pins glibc's mmap and trim thresholds (see the module's text). Returns what was done:
    "pinned", "kept" (GLIBC_TUNABLES sets a malloc threshold) or "unavailable" (no glibc
    mallopt, or it refused the values)."""
    tunables = (os.environ if environ is None else environ).get("GLIBC_TUNABLES", "")
    if "malloc.mmap_threshold" in tunables or "malloc.trim_threshold" in tunables:
        return "kept"
    mallopt = _libc()
    if mallopt is None:
        return "unavailable"
    if mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 or mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1:
        return "unavailable"
    return "pinned"
