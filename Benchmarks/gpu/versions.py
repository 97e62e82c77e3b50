#!/usr/bin/env python3
"""What the GPU machine runs: python/torch/CUDA/Triton/NVML versions, the device, the OS, as JSON.

    python3 Benchmarks/gpu/versions.py MODE [ASSAY_VERSION] > versions.json

Never fails: whatever cannot be read is recorded as the error it raised.
"""
import json
import os
import platform
import shutil
import subprocess
import sys


def attempt(out, key, fn):
    try:
        out[key] = fn()
    except Exception as exc:  # a missing piece is a finding, not a failure
        out[key] = "error: %s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")


def main():
    out = {"mode": sys.argv[1] if len(sys.argv) > 1 else "?",
           "assay_version": sys.argv[2] if len(sys.argv) > 2 else None,
           "python": platform.python_version(), "python_executable": sys.executable,
           "uname": " ".join(platform.uname()), "cpus": os.cpu_count()}
    attempt(out, "glibc", lambda: " ".join(platform.libc_ver()))
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    out["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        out["os"] = None
    attempt(out, "numpy", lambda: __import__("numpy").__version__)
    try:
        import torch
        out["torch"] = torch.__version__
        out["torch_cuda"] = torch.version.cuda
        attempt(out, "cudnn", lambda: torch.backends.cudnn.version())
        out["cuda_available"] = torch.cuda.is_available()
        if torch.cuda.is_available():
            attempt(out, "device_count", torch.cuda.device_count)
            attempt(out, "device_name", lambda: torch.cuda.get_device_name(0))
            props = torch.cuda.get_device_properties(0)
            out["compute_capability"] = "%d.%d" % (props.major, props.minor)
            out["multiprocessors"] = props.multi_processor_count
            out["memory_bytes"] = props.total_memory
            attempt(out, "l2_cache_bytes", lambda: props.L2_cache_size)
        else:
            out["device_name"] = "cpu: " + (platform.processor() or platform.machine())
    except Exception as exc:
        out["torch"] = "error: %s" % exc
    attempt(out, "triton", lambda: __import__("triton").__version__)
    try:
        import pynvml as n
        n.nvmlInit()
        v = n.nvmlSystemGetDriverVersion()
        out["driver"] = v.decode() if isinstance(v, bytes) else v
        h = n.nvmlDeviceGetHandleByIndex(0)
        attempt(out, "nvml_max_sm_clock_mhz", lambda: n.nvmlDeviceGetMaxClockInfo(h, n.NVML_CLOCK_SM))
        attempt(out, "nvml_power_limit_w", lambda: n.nvmlDeviceGetPowerManagementLimit(h) / 1000.0)
        attempt(out, "nvml_persistence_mode", lambda: n.nvmlDeviceGetPersistenceMode(h))
        attempt(out, "nvml_applications_sm_clock_mhz", lambda: n.nvmlDeviceGetApplicationsClock(h, n.NVML_CLOCK_SM))
        out["pynvml"] = getattr(n, "__version__", "present")
    except Exception as exc:
        out["pynvml"] = "unavailable: %s: %s" % (type(exc).__name__, exc)
    out["nvidia_smi"] = shutil.which("nvidia-smi")
    if "driver" not in out and out["nvidia_smi"]:
        attempt(out, "driver", lambda: subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30).stdout.strip() or None)
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
