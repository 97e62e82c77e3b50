#!/usr/bin/env python3
"""Assay backend on PyTorch: every op of docs/OPS.md on any torch device.

    python3 Backends/python/torch_backend.py --device cuda      # or cuda:1, cpu, npu, mlu, musa, xpu
    (a hello option {"device": ...} overrides --device)

Each op maps to its natural torch call (torch.matmul, F.linear, F.conv2d,
F.scaled_dot_product_attention, ...). Where torch deviates from the catalogue's
special-value semantics (gelu/silu at +-inf, sum over no axes, ...) the call is
corrected; corrections that cost time are only added when the inputs need them,
so benchmarks on random inputs time the plain library call.

Precision: TF32 and reduced-precision (f16/bf16) GEMM reductions are disabled so
f32 is true f32 and f16/bf16 accumulate in f32.
"""

import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":  # before any library can print to fd 1
    from assay_backend.server import protect_stdio
    protect_stdio()

import numpy as np  # noqa: E402

from assay_backend import (Backend, Invalid, NvmlTelemetry, Unsupported, collect_telemetry,  # noqa: E402
                           collector_paused, cpu_flush_bytes, host_memory, index_range, log, opspec, run)
from assay_backend.dtypes import round_to  # noqa: E402
from torch_collectives import TorchCollectives  # noqa: E402
from assay_backend.numa import cpu_numa, pci_numa  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except Exception as _exc:  # pragma: no cover - reported on hello
    torch = None
    F = None
    _TORCH_IMPORT_ERROR = _exc
else:
    _TORCH_IMPORT_ERROR = None

VENDOR_PACKAGES = {"npu": "torch_npu", "mlu": "torch_mlu", "musa": "torch_musa"}
DEVICE_KINDS = {"cpu": "cpu", "cuda": "gpu", "xpu": "gpu", "musa": "gpu", "mps": "gpu",
                "npu": "npu", "mlu": "mlu"}
EVENT_TIMERS = {"cuda": "cuda_event", "npu": "npu_event", "mlu": "mlu_event", "musa": "musa_event",
                "xpu": "xpu_event"}
GPU_FLUSH_BYTES = 256 << 20


def _torch_dtypes():
    return {"f64": torch.float64, "f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16,
            "int8": torch.int8, "int32": torch.int32, "bool": torch.bool}


# ---------------------------------------------------------------- op builders
# Each builder takes (call, tensors) and returns a zero-argument callable that
# runs the op and returns the output tensor. Validation happened in opspec.check.

def _b_matmul(call, t):
    a, b = t
    if call.attrs["transpose_a"]:
        a = a.transpose(-1, -2)
    if call.attrs["transpose_b"]:
        b = b.transpose(-1, -2)
    return lambda: torch.matmul(a, b)


def _b_linear(call, t):
    x, w = t[0], t[1]
    bias = t[2] if call.attrs["bias"] else None
    return lambda: F.linear(x, w, bias)


def _b_conv2d(call, t):
    a = call.attrs
    x, w = t[0], t[1]
    bias = t[2] if a["bias"] else None
    stride, padding, dilation, groups = tuple(a["stride"]), tuple(a["padding"]), tuple(a["dilation"]), a["groups"]
    return lambda: F.conv2d(x, w, bias, stride, padding, dilation, groups)


def _b_sdpa(call, t):
    q, k, v = t
    causal, scale = call.attrs["causal"], call.attrs["scale"]
    if k.shape[-2] == 0:
        shape = call.out_shape
        return lambda: torch.zeros(shape, dtype=q.dtype, device=q.device)
    if call.attrs["scale_is_default"]:
        return lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    return lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=scale)


def _b_softmax(call, t):
    x, axis = t[0], call.attrs["axis"]
    return lambda: torch.softmax(x, dim=axis)


def _b_log_softmax(call, t):
    x, axis = t[0], call.attrs["axis"]
    return lambda: torch.log_softmax(x, dim=axis)


def _b_layer_norm(call, t):
    x, w, b = t
    if x.numel() == 0:
        return lambda: x.clone()
    shape, eps = (x.shape[-1],), call.attrs["eps"]
    return lambda: F.layer_norm(x, shape, w, b, eps)


def _b_rms_norm(call, t):
    x, w = t
    if x.numel() == 0:
        return lambda: x.clone()
    n, eps = x.shape[-1], call.attrs["eps"]
    if hasattr(F, "rms_norm"):
        return lambda: F.rms_norm(x, (n,), w, eps)
    low = x.dtype in (torch.float16, torch.bfloat16)

    def manual():
        xf = x.float() if low else x
        wf = w.float() if low else w
        out = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps) * wf
        return out.to(x.dtype)
    return manual


# gelu and silu return torch's own results: torch gives NaN at -inf (and gelu NaN at +inf), where
# the catalogue's limits are -0 and +inf. The catalogue lists these as accepted alternatives
# (docs/OPS.md, "Special values versus frameworks") and the run record says which one came back,
# so a torch-based vendor stack is judged on what torch itself computes.


def _b_gelu(call, t):
    x, approx = t[0], call.attrs["approximate"]
    return lambda: F.gelu(x, approximate=approx)


def _b_silu(call, t):
    x = t[0]
    return lambda: F.silu(x)


def _b_relu(call, t):
    x = t[0]
    return lambda: torch.relu(x)


def _b_add(call, t):
    a, b = t
    return lambda: torch.add(a, b)


def _b_mul(call, t):
    a, b = t
    return lambda: torch.mul(a, b)


def _b_reduce(call, t):
    x = t[0]
    axes, keepdim = call.attrs["axes"], call.attrs["keepdim"]
    if not axes:  # reduce over no axes = identity (torch would reduce over all axes)
        return lambda: x.clone()
    if call.op == "reduce_sum":
        return lambda: torch.sum(x, dim=axes, keepdim=keepdim)
    if call.attrs["count"] == 0:
        shape = call.out_shape
        return lambda: torch.full(shape, float("nan"), dtype=x.dtype, device=x.device)
    return lambda: torch.mean(x, dim=axes, keepdim=keepdim)


def _b_embedding(call, t):
    idx, w = t
    return lambda: F.embedding(idx, w)


def _b_rotary(call, t):
    x, cos, sin = t
    low = x.dtype in (torch.float16, torch.bfloat16)
    interleaved = call.attrs["interleaved"]
    half = x.shape[-1] // 2

    def rotary():
        xf = x.float() if low else x
        c = (cos.float() if low else cos).unsqueeze(1)
        s = (sin.float() if low else sin).unsqueeze(1)
        if interleaved:
            x1, x2 = xf[..., 0::2], xf[..., 1::2]
            out = torch.stack((x1 * c - x2 * s, x2 * c + x1 * s), dim=-1).flatten(-2)
        else:
            x1, x2 = xf[..., :half], xf[..., half:]
            out = torch.cat((x1 * c - x2 * s, x2 * c + x1 * s), dim=-1)
        return out.to(x.dtype) if low else out
    return rotary


def _b_transpose(call, t):
    x, perm = t[0], call.attrs["perm"]
    if perm == list(range(len(perm))):
        return lambda: x.clone()  # contiguous() would return x itself: still copy
    return lambda: x.permute(perm).contiguous()


def _b_copy(call, t):
    x = t[0]
    return lambda: x.clone()


def _b_matmul_int8(call, t):
    a, b = t
    fallback = lambda: torch.matmul(a.double(), b.double()).to(torch.int32)  # exact: |sums| < 2^53
    if hasattr(torch, "_int_mm") and a.device.type in ("cuda", "cpu"):
        try:
            torch._int_mm(a, b)
            return lambda: torch._int_mm(a, b)
        except RuntimeError as exc:
            log("matmul_int8: torch._int_mm unusable for %s x %s (%s); using exact float64 matmul"
                % (list(a.shape), list(b.shape), str(exc).splitlines()[0]))
    return fallback


# ------------------------------------------------ ops model graphs add (issue 17)

def _b_reshape(call, t):
    x, to = t[0], call.attrs["to"]
    return lambda: x.reshape(to)


def _b_concat(call, t):
    axis = call.attrs["axis"]
    return lambda: torch.cat(t, dim=axis)


def _b_slice(call, t):
    x, a = t[0], call.attrs
    return lambda: x.narrow(a["axis"], a["start"], a["end"] - a["start"]).contiguous()


def _b_gather(call, t):
    x, idx, axis = t[0], t[1].long(), call.attrs["axis"]
    return lambda: torch.index_select(x, axis, idx)


def _b_repeat_interleave(call, t):
    x, a = t[0], call.attrs
    return lambda: torch.repeat_interleave(x, a["repeats"], dim=a["axis"])


def _b_argmax(call, t):
    x, a = t[0], call.attrs
    if x.numel() == 0:
        shape = call.out_shape
        return lambda: torch.zeros(shape, dtype=torch.int32, device=x.device)
    # torch returns the first maximum and counts NaN as the maximum, as the catalogue does
    return lambda: torch.argmax(x, dim=a["axis"], keepdim=a["keepdim"]).to(torch.int32)


def _b_topk(call, t):
    x, a = t[0], call.attrs
    # torch.topk does not promise an order among equal values; a stable descending sort does
    # (NaN first, then ties by position), which is the catalogue's rule.
    axis, k = a["axis"], a["k"]
    return lambda: torch.sort(x, dim=axis, descending=True, stable=True).indices.narrow(axis, 0, k).to(torch.int32)


def _b_where(call, t):
    cond, a, b = t
    return lambda: torch.where(cond, a, b)


def _b_masked_fill(call, t):
    x, mask = t
    # the fill value rounded once from float64 into the case dtype (a Python float may go through float32)
    stored = float(round_to(np.array([call.attrs["value"]]), call.dtype)[0])
    return lambda: x.masked_fill(mask, stored)


def _b_cast(call, t):
    x, to = t[0], _torch_dtypes()[call.attrs["to"]]
    return lambda: x.to(to)


def _b_batch_norm(call, t):
    x, mean, var, w, b = t
    eps = call.attrs["eps"]
    return lambda: F.batch_norm(x, mean, var, w, b, training=False, eps=eps)


BUILDERS = {
    "matmul": _b_matmul,
    "linear": _b_linear,
    "conv2d": _b_conv2d,
    "scaled_dot_product_attention": _b_sdpa,
    "softmax": _b_softmax,
    "log_softmax": _b_log_softmax,
    "layer_norm": _b_layer_norm,
    "rms_norm": _b_rms_norm,
    "gelu": _b_gelu,
    "silu": _b_silu,
    "relu": _b_relu,
    "add": _b_add,
    "mul": _b_mul,
    "reduce_sum": _b_reduce,
    "reduce_mean": _b_reduce,
    "embedding": _b_embedding,
    "rotary_embedding": _b_rotary,
    "transpose": _b_transpose,
    "copy": _b_copy,
    "matmul_int8": _b_matmul_int8,
    "reshape": _b_reshape,
    "concat": _b_concat,
    "slice": _b_slice,
    "gather": _b_gather,
    "repeat_interleave": _b_repeat_interleave,
    "argmax": _b_argmax,
    "topk": _b_topk,
    "where": _b_where,
    "masked_fill": _b_masked_fill,
    "cast": _b_cast,
    "batch_norm": _b_batch_norm,
}

# tiny probe calls used to declare capabilities truthfully: op -> (attrs, input shapes)
PROBES = {
    "matmul": ({}, [(4, 8), (8, 4)]),
    "linear": ({}, [(4, 8), (4, 8), (4,)]),
    "conv2d": ({"padding": [1, 1], "bias": True}, [(1, 2, 5, 5), (2, 2, 3, 3), (2,)]),
    "scaled_dot_product_attention": ({"causal": True}, [(1, 2, 4, 8), (1, 2, 4, 8), (1, 2, 4, 8)]),
    "softmax": ({}, [(2, 8)]),
    "log_softmax": ({}, [(2, 8)]),
    "layer_norm": ({}, [(2, 8), (8,), (8,)]),
    "rms_norm": ({}, [(2, 8), (8,)]),
    "gelu": ({}, [(8,)]),
    "silu": ({}, [(8,)]),
    "relu": ({}, [(8,)]),
    "add": ({}, [(2, 8), (8,)]),
    "mul": ({}, [(2, 8), (8,)]),
    "reduce_sum": ({}, [(2, 8)]),
    "reduce_mean": ({}, [(2, 8)]),
    "embedding": ({}, [(4,), (16, 8)]),
    "rotary_embedding": ({}, [(4, 2, 8), (4, 4), (4, 4)]),
    "transpose": ({}, [(2, 8)]),
    "copy": ({}, [(2, 8)]),
    "matmul_int8": ({}, [(32, 32), (32, 32)]),
    "reshape": ({"to": [4, -1]}, [(2, 8)]),
    "concat": ({"axis": 1}, [(2, 8), (2, 3)]),
    "slice": ({"axis": 1, "start": 2, "end": 5}, [(2, 8)]),
    "gather": ({"axis": 0}, [(16, 8), (4,)]),
    "repeat_interleave": ({"repeats": 2, "axis": 1}, [(1, 2, 4, 8)]),
    "argmax": ({}, [(2, 8)]),
    "topk": ({"k": 3}, [(2, 8)]),
    "where": ({}, [(2, 8), (2, 8), (2, 8)]),
    "masked_fill": ({"value": -1.0}, [(2, 8), (8,)]),
    "cast": ({"to": "bf16"}, [(2, 8)]),
    "batch_norm": ({}, [(2, 4, 3, 3), (4,), (4,), (4,), (4,)]),
}


def _input_dtypes(op, dtype, n):
    if op == "embedding":
        return ["int32", dtype]
    if op == "gather":
        return [dtype, "int32"]
    if op == "where":
        return ["bool", dtype, dtype]
    if op == "masked_fill":
        return [dtype, "bool"]
    return [dtype] * n


class TorchBackend(TorchCollectives, Backend):
    name = "torch"
    version = "1.0.0"

    def __init__(self, default_options=None):
        Backend.__init__(self, default_options)
        self.device = None
        self.telemetry_source = None
        self.caps = None

    # -------------------------------------------------------------- devices
    def configure(self, options):
        if torch is None:
            raise Unsupported("torch is not importable: %s" % (_TORCH_IMPORT_ERROR,))
        spec = str(options.get("device") or ("cuda" if torch.cuda.is_available() else "cpu"))
        kind = spec.split(":", 1)[0]
        vendor = VENDOR_PACKAGES.get(kind)
        self.vendor_version = None
        if vendor:
            try:
                mod = __import__(vendor)
                self.vendor_version = "%s %s" % (vendor, getattr(mod, "__version__", "?"))
            except Exception as exc:
                raise Unsupported("device %r needs the %s package: %s" % (spec, vendor, exc))
        try:
            device = torch.device(spec)
        except Exception as exc:
            raise Unsupported("torch does not know device %r: %s" % (spec, exc))
        self.mod = getattr(torch, device.type, None) if device.type != "cpu" else None
        if device.type != "cpu":
            mod = self.mod
            if mod is None or (hasattr(mod, "is_available") and not mod.is_available()):
                raise Unsupported("device %r is not available to torch %s" % (spec, torch.__version__))
            index = device.index
            if index is None:
                index = mod.current_device() if hasattr(mod, "current_device") else 0
            if hasattr(mod, "device_count") and index >= mod.device_count():
                raise Unsupported("device %r: only %d device(s) visible" % (spec, mod.device_count()))
            device = torch.device(device.type, index)
            if hasattr(mod, "set_device"):
                mod.set_device(device)
        self.device = device
        self.options = options
        self._set_precision()
        self.dtypes = _torch_dtypes()
        self.timer = self._pick_timer()
        self.telemetry_source = self._open_telemetry()
        self.caps = self._probe_capabilities()

    def _set_precision(self):
        for setter in (
            lambda: torch.set_float32_matmul_precision("highest"),
            lambda: setattr(torch.backends.cuda.matmul, "allow_tf32", False),
            lambda: setattr(torch.backends.cudnn, "allow_tf32", False),
            lambda: setattr(torch.backends.cuda.matmul, "allow_fp16_reduced_precision_reduction", False),
            lambda: setattr(torch.backends.cuda.matmul, "allow_bf16_reduced_precision_reduction", False),
            # torch >= 2.9 precision API (same meaning; harmless where absent)
            lambda: setattr(torch.backends.cuda.matmul, "fp32_precision", "ieee"),
            lambda: setattr(torch.backends.cudnn.conv, "fp32_precision", "ieee"),
        ):
            try:
                setter()
            except Exception:
                pass
        if self.device.type == "npu":  # torch_npu: keep f32 matmul/conv in f32 (no HF32)
            for setter in (lambda: setattr(torch.npu.matmul, "allow_hf32", False),
                           lambda: setattr(torch.npu.conv, "allow_hf32", False)):
                try:
                    setter()
                except Exception:
                    pass

    def _pick_timer(self):
        if self.device.type == "cpu":
            return "host_monotonic"
        name = EVENT_TIMERS.get(self.device.type)
        event_cls = getattr(self.mod, "Event", None)
        if name and event_cls is not None:
            try:
                a, b = event_cls(enable_timing=True), event_cls(enable_timing=True)
                a.record()
                b.record()
                b.synchronize()
                a.elapsed_time(b)
                return name
            except Exception as exc:
                log("device events unusable (%s); timing with host clock + synchronize" % exc)
        return "host_synchronize"

    def _props(self):
        try:
            return self.mod.get_device_properties(self.device)
        except Exception:
            return None

    def _open_telemetry(self):
        if self.device.type != "cuda" or getattr(torch.version, "hip", None):
            return None
        props = self._props()
        uuid = getattr(props, "uuid", None)
        pci = None
        if props is not None and hasattr(props, "pci_bus_id"):
            try:
                pci = "%08x:%02x:%02x.0" % (props.pci_domain_id, props.pci_bus_id, props.pci_device_id)
            except Exception:
                pci = None
        return NvmlTelemetry.open(uuid=uuid, pci_bus_id=pci, index=self.device.index)

    def _probe_capabilities(self):
        caps = {}
        for op, (attrs, shapes) in PROBES.items():
            for dtype in opspec.CATALOGUE[op][0]:
                dts = _input_dtypes(op, dtype, len(shapes))
                try:
                    tensors = self._random_tensors([opspec.TensorSpec(d, s) for d, s in zip(dts, shapes)], 1)
                    call = opspec.check(op, dtype, attrs, tensors)
                    out = BUILDERS[op](call, tensors)()
                    if tuple(out.shape) != call.out_shape:
                        raise RuntimeError("shape %s != %s" % (list(out.shape), list(call.out_shape)))
                    self._sync()
                except Exception as exc:
                    log("capability probe: %s %s unavailable on %s: %s"
                        % (op, dtype, self.device, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
                    continue
                caps.setdefault(op, []).append(dtype)
        return caps

    def describe(self):
        d = self.device
        entry = {"index": d.index or 0, "kind": DEVICE_KINDS.get(d.type, d.type), "torch_device": str(d)}
        runtime = {"torch": torch.__version__}
        if d.type == "cpu":
            total, _ = host_memory()
            entry.update(name=platform.processor() or platform.machine(), memory_bytes=total,
                         driver=platform.platform(), runtime="torch %s" % torch.__version__, **cpu_numa())
            try:
                runtime["threads"] = torch.get_num_threads()
            except Exception:
                pass
        else:
            props = self._props()
            name = None
            try:
                name = self.mod.get_device_name(d)
            except Exception:
                name = getattr(props, "name", None)
            entry["name"] = name or str(d)
            total = getattr(props, "total_memory", None)
            if total is None:
                try:
                    total = self.mod.mem_get_info(d)[1]
                except Exception:
                    total = 0
            entry["memory_bytes"] = int(total)
            if d.type == "cuda":
                hip = getattr(torch.version, "hip", None)
                entry["runtime"] = ("hip %s" % hip) if hip else ("cuda %s" % torch.version.cuda)
                runtime["cuda" if not hip else "hip"] = hip or torch.version.cuda
                try:
                    runtime["cudnn"] = str(torch.backends.cudnn.version())
                except Exception:
                    pass
                if props is not None and hasattr(props, "major"):
                    entry["compute_capability"] = "%d.%d" % (props.major, props.minor)
                    entry["multiprocessors"] = getattr(props, "multi_processor_count", None)
            elif self.vendor_version:
                entry["runtime"] = self.vendor_version
            if self.vendor_version:
                runtime[self.vendor_version.split()[0]] = self.vendor_version.split()[1]
            tele = self.telemetry_source
            if tele is not None:
                entry["driver"] = tele.driver_version()
                mc = tele.max_clock_mhz()
                if mc:
                    entry["max_clock_mhz"] = mc
            if "max_clock_mhz" not in entry and getattr(props, "clock_rate", None):
                entry["max_clock_mhz"] = int(props.clock_rate) // 1000
            entry.update(self._numa(props))
        entry = {k: v for k, v in entry.items() if v is not None}
        return {"devices": [entry], "timer": self.timer, "capabilities": self.caps, "runtime": runtime}

    @staticmethod
    def _numa(props):
        """The device's NUMA node through its PCI address (CUDA/ROCm report the bus id)."""
        bus = getattr(props, "pci_bus_id", None)
        if bus is None:
            return {"numa_reason": "torch reports no PCI bus id for this device"}
        return pci_numa("%04x:%02x:%02x.0" % (getattr(props, "pci_domain_id", 0) or 0, bus, getattr(props, "pci_device_id", 0) or 0))

    # ------------------------------------------------------------ tensors
    def _sync(self):
        if self.device.type != "cpu" and hasattr(self.mod, "synchronize"):
            self.mod.synchronize()

    def _to_device(self, arr):
        arr = np.asarray(arr)
        if not (arr.flags.c_contiguous and arr.flags.writeable):
            arr = arr.copy(order="C")
        if arr.dtype == np.uint16:
            t = torch.from_numpy(arr.view(np.int16)).view(torch.bfloat16)
        else:
            t = torch.from_numpy(arr)
        return t.to(self.device)

    @staticmethod
    def _to_numpy(t):
        t = t.detach()
        if t.device.type != "cpu":
            t = t.cpu()
        t = t.contiguous()
        if t.dtype == torch.bfloat16:
            return t.view(torch.int16).numpy().view(np.uint16)
        return t.numpy()

    def _random_tensors(self, specs, seed):
        """Benchmark inputs generated on the device (falls back to a host generator
        plus a copy when the device has no generator)."""
        try:
            gen = torch.Generator(device=self.device)
            gen.manual_seed(int(seed) % (1 << 64))
            gen_device = self.device
        except Exception:
            gen = torch.Generator()
            gen.manual_seed(int(seed) % (1 << 64))
            gen_device = torch.device("cpu")
        out = []
        for i, spec in enumerate(specs):
            shape = tuple(spec.shape)
            if spec.dtype in ("f64", "f32", "f16", "bf16"):
                base = torch.float64 if spec.dtype == "f64" else torch.float32
                t = torch.rand(shape, generator=gen, device=gen_device, dtype=base).mul_(2).sub_(1)
                t = t.to(self.dtypes[spec.dtype])
            elif spec.dtype == "int8":
                t = torch.randint(-128, 128, shape, generator=gen, device=gen_device, dtype=torch.int8)
            elif spec.dtype == "int32":
                t = torch.randint(0, index_range(specs, i), shape, generator=gen, device=gen_device,
                                  dtype=torch.int32)
            elif spec.dtype == "bool":
                t = torch.randint(0, 2, shape, generator=gen, device=gen_device, dtype=torch.int8).bool()
            else:
                raise Invalid("cannot generate dtype %s" % spec.dtype)
            out.append(t.to(self.device))
        return out

    # ------------------------------------------------------------- execute
    def execute(self, op, dtype, attrs, inputs):
        call = opspec.check(op, dtype, attrs, inputs)
        if op == "embedding" and inputs[0].size:
            idx, vocab = inputs[0], inputs[1].shape[0]
            lo, hi = int(idx.min()), int(idx.max())
            if lo < 0 or hi >= vocab:  # never let a device-side assert kill the context
                raise Invalid("embedding: indices must lie in [0, %d), got [%d, %d]" % (vocab, lo, hi))
        if op == "gather" and inputs[1].size:
            idx, length = inputs[1], call.attrs["length"]
            if int(idx.min()) < 0 or int(idx.max()) >= length:
                raise Invalid("gather: indices must lie in [0, %d), got [%d, %d]" % (length, int(idx.min()), int(idx.max())))
        tensors = [self._to_device(a) for a in inputs]
        with torch.no_grad():
            out = BUILDERS[op](call, tensors)()
        result = self._to_numpy(out)
        if tuple(result.shape) != call.out_shape:
            raise RuntimeError("%s produced shape %s, expected %s" % (op, list(result.shape), list(call.out_shape)))
        return result

    # ----------------------------------------------------------- benchmark
    def _flush_bytes(self):
        if self.device.type == "cpu":
            return cpu_flush_bytes()
        l2 = getattr(self._props(), "L2_cache_size", 0) or 0
        return max(GPU_FLUSH_BYTES, 2 * int(l2))

    def telemetry(self):
        if self.telemetry_source is not None:
            return self.telemetry_source.read()
        return None

    @collector_paused()
    def _time_samples(self, fn, k, samples, cold):
        """Times `samples` samples of k back-to-back fn() calls; returns (elapsed_ns, telemetry)."""
        flush = None
        if cold:
            n = self._flush_bytes()
            flush = torch.empty(n // 4, dtype=torch.int32, device=self.device)
        elapsed, reads = [], []
        if self.timer.endswith("_event"):
            event_cls = self.mod.Event
            for i in range(samples):
                start, end = event_cls(enable_timing=True), event_cls(enable_timing=True)
                if flush is not None:
                    flush.fill_(i + 1)  # untimed: runs before `start` in stream order
                start.record()
                for _ in range(k):
                    fn()
                end.record()
                end.synchronize()
                elapsed.append(float(start.elapsed_time(end)) * 1e6)  # ms -> ns
                reads.append(self.telemetry())
        else:
            for i in range(samples):
                if flush is not None:
                    flush.fill_(i + 1)
                self._sync()
                t0 = time.perf_counter_ns()
                for _ in range(k):
                    fn()
                self._sync()
                elapsed.append(float(time.perf_counter_ns() - t0))
                reads.append(self.telemetry())
        return elapsed, collect_telemetry(reads)

    def benchmark(self, op, dtype, attrs, inputs, seed, mode, k, samples):
        call = opspec.check(op, dtype, attrs, inputs)
        with torch.no_grad():
            tensors = self.benchmark_inputs(op, dtype, attrs, inputs, seed,
                                            lambda: self._random_tensors(inputs, seed))
            return self.time_calls(BUILDERS[op](call, tensors), mode, k, samples)

    def time_calls(self, fn, mode, k, samples):
        fn()  # untimed warm-up: kernel selection, workspace allocation
        self._sync()
        elapsed, tele = self._time_samples(fn, k, samples, mode == "cold")
        out = {"elapsed_ns": elapsed, "timer": self.timer}
        if tele:
            out["telemetry"] = tele
        return out

    # -------------------------------------------------------- feature graph
    # Graphs keep every tensor on the device and run the op builders above, node by node in
    # eager mode; the hello option graph_compile=1 runs each graph under torch.compile instead.
    def graph_tensor(self, array, keep=False):
        t = self._to_device(array)
        return t.clone() if keep and t.device.type == "cpu" else t  # on cpu it views the request

    def graph_host(self, tensor):
        return self._to_numpy(tensor)

    def graph_op(self, node, tensors):
        return BUILDERS[node.op](node.call, tensors)

    def graph_context(self):
        return torch.no_grad()

    def graph_runner(self, graph, weights):
        def eager(inputs, expose):
            return graph.run(self, weights, inputs, expose)
        if str(self.options.get("graph_compile", "0")).lower() not in ("1", "true", "yes"):
            return eager, "torch eager on %s" % self.device
        compiled = {}  # one compiled function per set of exposed nodes

        def run(inputs, expose):
            key = tuple(expose)
            if key not in compiled:
                compiled[key] = torch.compile(lambda *xs: graph.run(self, weights, xs, key))
            return compiled[key](*inputs)
        return run, "torch.compile (inductor) on %s" % self.device

    def peak_memory(self, reset=False):
        mod = self.mod
        if self.device.type == "cpu" or not hasattr(mod, "max_memory_allocated"):
            return None
        if reset:
            mod.reset_peak_memory_stats(self.device)
            return None
        return mod.max_memory_allocated(self.device)

    # ------------------------------------------------------- system checks
    def transfer(self, direction, nbytes, pinned, samples):
        if self.device.type == "cpu":
            raise Unsupported("device cpu has no host<->device transfer")
        host = torch.empty(nbytes, dtype=torch.uint8)
        if pinned:
            try:
                host = host.pin_memory()
            except Exception as exc:
                raise Unsupported("pinned host memory unavailable: %s" % exc)
        host.fill_(1)
        dev = torch.empty(nbytes, dtype=torch.uint8, device=self.device)
        dev.fill_(2)
        if direction == "h2d":
            fn = lambda: dev.copy_(host, non_blocking=pinned)
        else:
            fn = lambda: host.copy_(dev, non_blocking=pinned)
        fn()
        self._sync()
        elapsed, _ = self._time_samples(fn, 1, samples, cold=False)
        return {"elapsed_ns": elapsed, "timer": self.timer}

    def memory(self):
        if self.device.type == "cpu":
            return host_memory()
        free, total = self.mod.mem_get_info(self.device)
        return total, free

    def after_error(self):
        if self.device is not None and self.device.type != "cpu":
            try:
                self._sync()
            except Exception:
                pass
            try:
                self.mod.empty_cache()
            except Exception:
                pass


if __name__ == "__main__":
    run(TorchBackend)
