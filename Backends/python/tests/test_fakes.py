"""Code paths that need hardware, exercised with fakes: NVML telemetry and the
device-event timing loop of the torch backend."""

import sys
import time
import types

import pytest

from assay_backend import NvmlTelemetry, collect_telemetry
from conftest import HAVE_TORCH


def fake_pynvml(fail_power=False):
    m = types.ModuleType("pynvml")
    m.NVML_CLOCK_SM, m.NVML_CLOCK_MEM, m.NVML_TEMPERATURE_GPU = 1, 2, 0
    m.nvmlInit = lambda: None
    m.nvmlDeviceGetHandleByUUID = lambda u: ("handle", u)
    m.nvmlDeviceGetHandleByPciBusId = lambda p: ("handle", p)
    m.nvmlDeviceGetHandleByIndex = lambda i: ("handle", i)
    m.nvmlDeviceGetClockInfo = lambda h, which: {1: 1755, 2: 2619}[which]
    m.nvmlDeviceGetMaxClockInfo = lambda h, which: 1980

    def power(h):
        if fail_power:
            raise RuntimeError("not supported")
        return 690123
    m.nvmlDeviceGetPowerUsage = power
    m.nvmlDeviceGetTemperature = lambda h, which: 61
    m.nvmlSystemGetDriverVersion = lambda: b"550.54.15"
    m.nvmlDeviceGetName = lambda h: "NVIDIA H100 80GB HBM3"
    return m


def test_nvml_telemetry_with_fake(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml())
    t = NvmlTelemetry.open(uuid="abc-123", index=0)
    assert t.handle == ("handle", "GPU-abc-123")
    assert t.read() == {"sm_clock_mhz": 1755, "mem_clock_mhz": 2619, "power_w": 690.123, "temperature_c": 61}
    assert t.max_clock_mhz() == 1980 and t.driver_version() == "550.54.15"
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml(fail_power=True))
    assert "power_w" not in NvmlTelemetry.open(uuid="GPU-x").read()


def test_nvml_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", None)  # import fails
    assert NvmlTelemetry.open(uuid="x", index=0) is None


def test_collect_telemetry():
    assert collect_telemetry([None, None]) is None
    assert collect_telemetry([{"a": 1}, None]) == [{"a": 1}, {}]


@pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed")
def test_torch_event_timing_loop_with_fake_events():
    import torch_backend as tb

    class FakeEvent(object):
        def __init__(self, enable_timing=False):
            assert enable_timing
            self.t = None

        def record(self):
            self.t = time.perf_counter_ns()

        def synchronize(self):
            pass

        def elapsed_time(self, end):
            return (end.t - self.t) / 1e6  # ms, like torch

    fake_mod = types.SimpleNamespace(Event=FakeEvent, synchronize=lambda: None)
    b = tb.TorchBackend({"device": "cpu"})
    b.configure({"device": "cpu"})
    b.mod, b.timer = fake_mod, "cuda_event"
    reads = iter([{"sm_clock_mhz": 1000 + i} for i in range(10)])
    b.telemetry = lambda: next(reads)
    out = b.benchmark("add", "f32", {}, [tb.opspec.TensorSpec("f32", (64,)), tb.opspec.TensorSpec("f32", (64,))],
                      seed=1, mode="cold", k=3, samples=4)
    assert out["timer"] == "cuda_event" and len(out["elapsed_ns"]) == 4
    assert all(x > 0 for x in out["elapsed_ns"])
    assert [t["sm_clock_mhz"] for t in out["telemetry"]] == [1000, 1001, 1002, 1003]
