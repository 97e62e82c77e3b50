"""Timing, cache-flush and telemetry helpers for `benchmark` and `transfer`."""

import contextlib
import gc
import glob
import os
import sys
import time

import numpy as np

DEFAULT_CPU_FLUSH_BYTES = 64 << 20     # when /sys tells us nothing
DEFAULT_GPU_FLUSH_BYTES = 256 << 20    # >= 2x the L2 of any current GPU


def now_ns():
    return time.perf_counter_ns()


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while samples are taken, as `timeit` does: a
    collection that lands inside one sample would be timed as the op's."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def time_host(fn, k, finish=None):
    """Wall time in ns of k back-to-back calls of fn() on the host monotonic clock.

    For an asynchronous runtime fn() only enqueues: `finish(result)` is then called on the
    last call's result before the clock stops, so the sample ends when the last of its k
    calls has completed (docs/PROTOCOL.md, "Asynchronous runtimes")."""
    t0 = time.perf_counter_ns()
    result = None
    for _ in range(k):
        result = fn()
    if finish is not None:
        finish(result)
    return float(time.perf_counter_ns() - t0)


def _parse_size(text):
    text = text.strip().upper()
    mult = 1
    if text.endswith("K"):
        mult, text = 1 << 10, text[:-1]
    elif text.endswith("M"):
        mult, text = 1 << 20, text[:-1]
    elif text.endswith("G"):
        mult, text = 1 << 30, text[:-1]
    return int(text) * mult


def last_level_cache_bytes():
    """Size of the largest (last-level) CPU cache from /sys, or None."""
    best_level, best_size = -1, None
    for idx in glob.glob("/sys/devices/system/cpu/cpu0/cache/index*"):
        try:
            with open(os.path.join(idx, "level")) as f:
                level = int(f.read())
            with open(os.path.join(idx, "size")) as f:
                size = _parse_size(f.read())
            with open(os.path.join(idx, "type")) as f:
                kind = f.read().strip()
        except (OSError, ValueError):
            continue
        if kind == "Instruction":
            continue
        if level > best_level or (level == best_level and size > (best_size or 0)):
            best_level, best_size = level, size
    return best_size


def cpu_flush_bytes():
    """At least twice the last-level cache, never less than 64 MiB."""
    llc = last_level_cache_bytes()
    return max(DEFAULT_CPU_FLUSH_BYTES, 2 * llc) if llc else DEFAULT_CPU_FLUSH_BYTES


class HostCacheFlusher(object):
    """Writes a buffer larger than the CPU caches (call flush() before a cold sample)."""

    def __init__(self, nbytes=None):
        self.nbytes = nbytes or cpu_flush_bytes()
        self.buf = np.zeros(self.nbytes // 8, dtype=np.int64)
        self.counter = 0

    def flush(self):
        self.counter += 1
        self.buf.fill(self.counter)


def host_memory():
    """(total_bytes, free_bytes) of host RAM (free = MemAvailable)."""
    total = free = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key == "MemTotal":
                    total = int(rest.split()[0]) * 1024
                elif key == "MemAvailable":
                    free = int(rest.split()[0]) * 1024
    except (OSError, ValueError):
        pass
    if total is None:
        try:
            page = os.sysconf("SC_PAGE_SIZE")
            total = os.sysconf("SC_PHYS_PAGES") * page
            free = os.sysconf("SC_AVPHYS_PAGES") * page
        except (ValueError, OSError, AttributeError):
            total = free = 0
    return total, free if free is not None else total


def log(*parts):
    print("[assay-backend]", *parts, file=sys.stderr, flush=True)


class NvmlTelemetry(object):
    """NVIDIA telemetry through NVML (`pynvml`, from the nvidia-ml-py package).

    `NvmlTelemetry.open(uuid=..., pci_bus_id=..., index=...)` returns None when NVML
    or the device cannot be found. `read()` returns one telemetry dict (fields
    that could not be read are left out) or None."""

    def __init__(self, nvml, handle):
        self.nvml = nvml
        self.handle = handle

    @classmethod
    def open(cls, uuid=None, pci_bus_id=None, index=None):
        try:
            import pynvml as nvml
        except Exception:
            return None
        try:
            nvml.nvmlInit()
        except Exception as exc:
            log("NVML unavailable:", exc)
            return None
        handle = None
        tries = []
        if uuid:
            u = str(uuid)
            tries.append(lambda: nvml.nvmlDeviceGetHandleByUUID(u if u.startswith(("GPU-", "MIG-")) else "GPU-" + u))
        if pci_bus_id:
            tries.append(lambda: nvml.nvmlDeviceGetHandleByPciBusId(pci_bus_id))
        if index is not None and not os.environ.get("CUDA_VISIBLE_DEVICES"):
            tries.append(lambda: nvml.nvmlDeviceGetHandleByIndex(index))
        for attempt in tries:
            try:
                handle = attempt()
                break
            except Exception:
                continue
        if handle is None:
            return None
        return cls(nvml, handle)

    def _try(self, fn):
        try:
            return fn()
        except Exception:
            return None

    def read(self):
        n, h = self.nvml, self.handle
        out = {}
        v = self._try(lambda: n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_SM))
        if v is not None:
            out["sm_clock_mhz"] = int(v)
        v = self._try(lambda: n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_MEM))
        if v is not None:
            out["mem_clock_mhz"] = int(v)
        v = self._try(lambda: n.nvmlDeviceGetPowerUsage(h))
        if v is not None:
            out["power_w"] = round(v / 1000.0, 3)
        v = self._try(lambda: n.nvmlDeviceGetTemperature(h, n.NVML_TEMPERATURE_GPU))
        if v is not None:
            out["temperature_c"] = int(v)
        return out or None

    def max_clock_mhz(self):
        v = self._try(lambda: self.nvml.nvmlDeviceGetMaxClockInfo(self.handle, self.nvml.NVML_CLOCK_SM))
        return int(v) if v is not None else None

    def driver_version(self):
        v = self._try(lambda: self.nvml.nvmlSystemGetDriverVersion())
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        return v

    def name(self):
        v = self._try(lambda: self.nvml.nvmlDeviceGetName(self.handle))
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        return v


def collect_telemetry(reads):
    """Telemetry list for a `samples` reply: one entry per sample, or None if nothing was read."""
    if not reads or all(r is None for r in reads):
        return None
    return [r or {} for r in reads]
