"""The SDK pins glibc's malloc thresholds (assay_backend/allocator.py), so a plugin's timed calls
do not map and fault in fresh pages depending on what the process freed before. Counted, not
timed: the plugin process's minor page faults per timed call (/proc/<pid>/stat)."""
import os
import sys

import pytest

from client import Client

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from assay_backend import allocator  # noqa: E402

linux_only = pytest.mark.skipif(not os.path.exists("/proc/self/stat") or allocator._libc() is None,
                                reason="needs /proc and glibc's mallopt")


def minor_faults(pid):
    with open("/proc/%d/stat" % pid) as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[7])


def faults_per_call(env):
    """Minor page faults per timed call of a fresh numpy plugin: softmax 64x1024 and gelu
    over 2^18 values (256 KiB and 1 MiB buffers, above glibc's initial 128 KiB threshold)."""
    client = Client(["numpy_backend.py"], env=dict(os.environ, **env))
    try:
        per_call = {}
        for op, shape in (("softmax", [64, 1024]), ("gelu", [262144])):
            def benchmark(samples):
                reply, _ = client.request({"type": "benchmark", "op": op, "dtype": "f32", "attrs": {},
                                           "inputs": [{"dtype": "f32", "shape": shape}], "seed": 1,
                                           "mode": "warm", "k": 1, "samples": samples})
                assert reply["type"] == "samples", reply
            benchmark(5)
            before = minor_faults(client.proc.pid)
            benchmark(100)
            per_call[op] = (minor_faults(client.proc.pid) - before) / 100.0
        return per_call
    finally:
        assert client.close() == 0


@linux_only
def test_timed_calls_take_no_page_faults_in_a_fresh_plugin():
    env = {"GLIBC_TUNABLES": ""}
    assert all(faults < 2 for faults in faults_per_call(env).values()), faults_per_call(env)


@linux_only
def test_the_count_sees_buffers_mapped_per_call():
    # The state the pin prevents, forced through the tunable the SDK leaves to the user: every
    # call maps its buffers afresh (glibc's threshold held at its initial 128 KiB).
    faults = faults_per_call({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"})
    assert all(count > 50 for count in faults.values()), faults


def test_an_explicit_tunable_is_kept():
    assert allocator.pin_thresholds({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}) == "kept"
    assert allocator.pin_thresholds({"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=0"}) == "kept"


@linux_only
def test_pinning_succeeds_on_glibc():
    assert allocator.pin_thresholds({}) == "pinned"
