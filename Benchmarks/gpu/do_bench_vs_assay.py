#!/usr/bin/env python3
"""Assay's median against triton.testing.do_bench for one GEMM, interleaved, with NVML clocks.

    python3 Benchmarks/gpu/do_bench_vs_assay.py --out DIR                      # H100: bf16 8192^3 on cuda
    python3 Benchmarks/gpu/do_bench_vs_assay.py --device cpu --size 512 --out DIR   # dry run, no GPU

Each round runs `assay run --suite Benchmarks/gpu/gpu-matmul.yaml` (one case: matmul bf16 N^3 through
Backends/python/torch_backend.py) and then times the same torch call, `torch.matmul(a, b)` on N x N
bf16 tensors of the same distribution (uniform [-1, 1) rounded to bf16) with the backend's precision
settings, with `triton.testing.do_bench(fn, return_mode="median")`. On a CPU, or where Triton is
missing, a per-call time.perf_counter (CPU) or CUDA-event (GPU) loop of the same shape stands in.

Beside every figure: the SM clock and power range that NVML (pynvml) reported on a background thread
during that measurement (for Assay: the case's own sampling window, from its journal line back by the
case's totalSeconds; Assay's own per-sample telemetry ranges are recorded too).

Prints a table (round, tool, TFLOP/s, CI or spread, SM clock range, power range) and two verdicts:
  - is Assay's median within do_bench's run-to-run spread (min..max of its round medians)?
  - is Assay's 95% CI (medianCILow/High) narrower than do_bench's run-to-run spread?
and writes everything to DIR/do_bench_vs_assay.json. Exit 0 when both tools produced a figure.
"""

import argparse
import glob
import inspect
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from bench_common import record_number as num  # noqa: E402
BACKENDS = os.path.join(ROOT, "Backends", "python")
DEFAULT_SUITE = os.path.join(ROOT, "Benchmarks", "gpu", "gpu-matmul.yaml")
SHAPE_RE = re.compile(r"\{m:\s*\d+,\s*n:\s*\d+,\s*k:\s*\d+\}")
DTYPE_RE = re.compile(r"dtypes:\s*\[bf16\]")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--device", default="cuda", help="torch device: cuda (default) or cpu")
    p.add_argument("--size", type=int, default=8192, help="N of the N^3 matmul (default 8192)")
    p.add_argument("--dtype", default="bf16", choices=["bf16", "f16", "f32"])
    p.add_argument("--rounds", type=int, default=4, help="rounds of (Assay, then do_bench) (default 4)")
    p.add_argument("--assay", default=None, help="assay binary (default: $ASSAY_BIN, .gpu-kit/assay, .build/release/assay)")
    p.add_argument("--target", default=None, help="target descriptor (default: Targets/nvidia-h100.yaml; "
                   "Targets/torch-cpu.yaml with --device cpu)")
    p.add_argument("--suite", default=DEFAULT_SUITE, help="one-case suite (default Benchmarks/gpu/gpu-matmul.yaml)")
    p.add_argument("--time-cap", type=float, default=None, help="assay run --time-cap (default: the suite's)")
    p.add_argument("--warmup-ms", type=float, default=100.0, help="do_bench warmup (default 100 ms)")
    p.add_argument("--rep-ms", type=float, default=1000.0, help="do_bench rep (default 1000 ms)")
    p.add_argument("--nvml-interval-ms", type=float, default=20.0)
    p.add_argument("--deadline-s", type=float, default=0.0,
                   help="start no round that would end after this many seconds (0: no deadline)")
    p.add_argument("--assay-timeout-s", type=float, default=300.0, help="per assay run (default 300)")
    p.add_argument("--out", default=os.environ.get("OUT") or "gpu-out", help="output folder (default $OUT)")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args(argv)


# ------------------------------------------------------------------ small helpers

def strict(value):
    """value with every non-finite float replaced by None (strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(v) for v in value]
    return value


def fmt(x, digits=1):
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else ("%.*f" % (digits, x))


def tf(x):
    """A TFLOP/s figure with 4 significant digits or so (H100: 712.3; a CPU: 0.9461)."""
    if x is None or not math.isfinite(x):
        return "-"
    return "%.*f" % (1 if abs(x) >= 100 else 2 if abs(x) >= 10 else 3 if abs(x) >= 1 else 4, x)


def fmt_range(r, digits=0):
    if not r:
        return "-"
    lo, hi = r
    if lo is None or hi is None:
        return "-"
    return "%s-%s" % (fmt(lo, digits), fmt(hi, digits))


def find_assay(explicit):
    if explicit:  # named: that binary or none
        return os.path.abspath(explicit) if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    for cand in (os.environ.get("ASSAY_BIN"), os.path.join(ROOT, ".gpu-kit", "assay"),
                 os.path.join(ROOT, ".build", "release", "assay")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    return None


def make_suite(template_path, size, dtype, work):
    """The suite file to run: the template itself, or a copy with the shape/dtype rewritten."""
    with open(template_path) as f:
        text = f.read()
    if len(SHAPE_RE.findall(text)) != 1:
        raise SystemExit("%s: expected exactly one '{m: N, n: N, k: N}' shape" % template_path)
    new = SHAPE_RE.sub("{m: %d, n: %d, k: %d}" % (size, size, size), text)
    if dtype != "bf16":
        if len(DTYPE_RE.findall(new)) != 1:
            raise SystemExit("%s: expected exactly one 'dtypes: [bf16]'" % template_path)
        new = DTYPE_RE.sub("dtypes: [%s]" % dtype, new)
    if new == text:
        return template_path, text
    path = os.path.join(work, "gpu-matmul-%s-%d.yaml" % (dtype, size))
    with open(path, "w") as f:
        f.write(new)
    return path, new


def descendants(pid):
    """PIDs of every live descendant of pid (from /proc), with their command lines."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                data = f.read()
            ppid = int(data[data.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(stat.split("/")[2]))
        except (OSError, ValueError, IndexError):
            continue
    out, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out[child] = cmdline(child)
                todo.append(child)
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read()
    except OSError:
        return None


def run_capped(cmd, log_path, timeout_s):
    """Runs cmd (output to log_path); past timeout_s: SIGTERM (Assay records the run as interrupted),
    then SIGKILL, and SIGKILL for the descendants seen while it ran (the backend plugin lives in its
    own process group). Returns (exit status or 124, seconds)."""
    t0 = time.monotonic()
    with open(log_path, "ab") as log:
        log.write(("$ %s\n" % " ".join(cmd)).encode())
        log.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        seen = {}
        while proc.poll() is None:
            seen.update(descendants(proc.pid))
            if time.monotonic() - t0 > timeout_s:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                for pid, cmd_bytes in seen.items():
                    if cmd_bytes is not None and cmdline(pid) == cmd_bytes:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                log.write(b"\n[do_bench_vs_assay: killed after %.0f s]\n" % timeout_s)
                return 124, time.monotonic() - t0
            time.sleep(0.25)
        return proc.returncode, time.monotonic() - t0


# ------------------------------------------------------------------ NVML sampling

def open_nvml(torch, device):
    """(NvmlTelemetry or None, note)."""
    if device.type != "cuda":
        return None, "no NVML on device %s" % device
    try:
        sys.path.insert(0, BACKENDS)
        from assay_backend.timing import NvmlTelemetry
    except Exception as exc:  # pragma: no cover - the backend SDK is in the tree
        return None, "assay_backend.timing not importable: %s" % exc
    try:
        import pynvml  # noqa: F401
    except Exception as exc:
        return None, "pynvml (nvidia-ml-py) not importable: %s" % exc
    uuid = pci = None
    try:
        props = torch.cuda.get_device_properties(device)
        uuid = getattr(props, "uuid", None)
        if hasattr(props, "pci_bus_id"):
            pci = "%08x:%02x:%02x.0" % (props.pci_domain_id, props.pci_bus_id, props.pci_device_id)
    except Exception:
        pass
    tele = NvmlTelemetry.open(uuid=uuid, pci_bus_id=pci, index=device.index or 0)
    return tele, ("ok" if tele is not None else "NVML could not open the device")


class Sampler(object):
    """Reads NVML every interval on a thread; optionally notes when a watched file first has bytes."""

    FIELDS = ("sm_clock_mhz", "mem_clock_mhz", "power_w", "power_instant_w", "temperature_c")

    def __init__(self, tele, interval_s):
        self.tele = tele
        self.interval = interval_s
        self.samples = []
        self.mark = None
        self._thread = None

    def _read(self):
        out = dict(self.tele.read() or {})
        try:  # instantaneous power (NVML's plain power reading is a ~1 s average on recent GPUs)
            n = self.tele.nvml
            fid = getattr(n, "NVML_FI_DEV_POWER_INSTANT", None)
            if fid is not None:
                v = n.nvmlDeviceGetFieldValues(self.tele.handle, [fid])[0]
                if getattr(v, "nvmlReturn", 1) == 0:
                    out["power_instant_w"] = round(v.value.uiVal / 1000.0, 3)
        except Exception:
            pass
        return out

    def start(self, watch_glob=None):
        self.samples, self.mark = [], None
        self._stop = threading.Event()
        self._watch = watch_glob
        self.t_start = time.monotonic()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        while True:
            t = time.monotonic()
            if self.tele is not None:
                try:
                    self.samples.append((t, self._read()))
                except Exception:
                    pass
            if self._watch and self.mark is None:
                for path in glob.glob(self._watch):
                    try:
                        if os.path.getsize(path) > 0:
                            self.mark = t
                            break
                    except OSError:
                        pass
            if self._stop.wait(self.interval):
                return

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.t_stop = time.monotonic()

    def ranges(self, lo=None, hi=None):
        lo = self.t_start if lo is None else lo
        hi = self.t_stop if hi is None else hi
        picked = [r for t, r in self.samples if lo <= t <= hi]
        out = {"samples": len(picked), "window_s": round(hi - lo, 3)}
        for field in self.FIELDS:
            vals = [float(r[field]) for r in picked if isinstance(r.get(field), (int, float))]
            out[field] = [min(vals), max(vals)] if vals else None
        return out


# ------------------------------------------------------------------ the two tools

def assay_round(args, r, assay, target, suite, work, sampler):
    """One `assay run`; returns the round's row."""
    out_dir = os.path.join(work, "assay-round%d" % r)
    cmd = [assay, "run", "--target", target, "--suite", suite, "--out", out_dir, "--quiet", "--no-reports"]
    if args.time_cap:
        cmd += ["--time-cap", "%g" % args.time_cap]
    remaining = args.deadline_s - (time.monotonic() - args.t0) if args.deadline_s else None
    timeout = args.assay_timeout_s if remaining is None else max(30.0, min(args.assay_timeout_s, remaining - 10))
    log = os.path.join(work, "assay-round%d.log" % r)
    sampler.start(watch_glob=os.path.join(out_dir, "*", "*", "journal.jsonl"))
    rc, seconds = run_capped(cmd, log, timeout)
    sampler.stop()
    row = {"round": r, "tool": "assay", "exit": rc, "seconds": round(seconds, 2), "command": cmd, "log": log}
    runs = sorted(p for p in glob.glob(os.path.join(out_dir, "*", "*", "run.json"))
                  if os.path.basename(os.path.dirname(p)) != "latest")
    if not runs:
        row["error"] = "no run record (exit %d); see %s" % (rc, log)
        row["tail"] = tail(log)
        row["nvml"] = sampler.ranges()
        return row
    row["run_json"] = runs[-1]
    with open(runs[-1]) as f:
        record = json.load(f)
    perf_cases = [c for c in record.get("cases", []) if c.get("kind") == "performance"]
    devices = (record.get("backend") or {}).get("devices") or [{}]
    row["backend_device"] = devices[0].get("name")
    row["backend_runtime"] = (record.get("backend") or {}).get("runtime")
    if not perf_cases or not perf_cases[0].get("performance"):
        case = perf_cases[0] if perf_cases else {}
        row["error"] = "case %s: %s %s" % (case.get("id"), case.get("outcome"), (case.get("message") or "")[:300])
        row["nvml"] = sampler.ranges()
        return row
    case = perf_cases[0]
    perf = case["performance"]
    s = perf["summary"]
    flops = num(perf.get("flops"))
    median_ns = num(s.get("median"))
    ci_lo_ns, ci_hi_ns = num(s.get("medianCILow")), num(s.get("medianCIHigh"))
    row.update({
        "case": case["id"], "outcome": case.get("outcome"),
        "median_ms": median_ns / 1e6,
        "tflops": flops / median_ns / 1e3,
        "ci_tflops": [flops / ci_hi_ns / 1e3, flops / ci_lo_ns / 1e3],
        "ci_ms": [ci_lo_ns / 1e6, ci_hi_ns / 1e6],
        "ci_method": s.get("medianCIMethod"),
        "ci_relative_half_width": num(s.get("medianCIRelativeHalfWidth")),
        "n": perf.get("n"), "k": perf.get("k"), "converged": perf.get("converged"),
        "stop_reason": perf.get("stopReason"), "timer": perf.get("timerKind"),
        "total_seconds": num(perf.get("totalSeconds")), "measured_seconds": num(perf.get("measuredSeconds")),
        "percent_of_peak": num(perf.get("percentOfPeak")),
        "assay_telemetry": perf.get("telemetry"), "max_clock_mhz": perf.get("maxClockMHz"),
        "low_clock_samples": perf.get("lowClockSamples"), "limited": perf.get("limited"),
        "limit_reason": perf.get("limitReason"),
    })
    # NVML over the case's sampling: it ended when its journal line appeared and lasted totalSeconds.
    if sampler.mark is not None and math.isfinite(row["total_seconds"]):
        row["nvml"] = sampler.ranges(sampler.mark - row["total_seconds"] - 0.05, sampler.mark)
        row["nvml"]["window"] = "case sampling (journal line back by totalSeconds)"
    else:
        row["nvml"] = sampler.ranges()
        row["nvml"]["window"] = "whole assay process (case window not found)"
    return row


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-lines:]
    except OSError:
        return []


def bench_round(args, r, bench, sampler):
    sampler.start()
    t0 = time.monotonic()
    try:
        ms = bench["fn"]()
        err = None
    except Exception as exc:
        ms, err = float("nan"), "%s: %s" % (type(exc).__name__, exc)
    seconds = time.monotonic() - t0
    sampler.stop()
    row = {"round": r, "tool": bench["name"], "seconds": round(seconds, 2), "median_ms": ms,
           "tflops": bench["flops"] / (ms * 1e-3) / 1e12 if ms and math.isfinite(ms) else float("nan"),
           "nvml": sampler.ranges()}
    if err:
        row["error"] = err
    return row


def make_bench(args, torch, device):
    """The peer timing: {'name', 'fn' -> median ms, 'flops', 'how'}."""
    n = args.size
    dt = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32}[args.dtype]
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    a = torch.rand((n, n), generator=gen, device=device, dtype=torch.float32).mul_(2).sub_(1).to(dt)
    b = torch.rand((n, n), generator=gen, device=device, dtype=torch.float32).mul_(2).sub_(1).to(dt)
    flops = 2.0 * n * n * n

    def call():
        return torch.matmul(a, b)

    if device.type == "cuda":
        try:
            import triton
            import triton.testing as tt
            params = inspect.signature(tt.do_bench).parameters
            kw = {"warmup": args.warmup_ms, "rep": args.rep_ms}
            if "return_mode" in params:
                kw["return_mode"] = "median"
                how = "triton %s do_bench(warmup=%g, rep=%g, return_mode='median')" % (
                    triton.__version__, args.warmup_ms, args.rep_ms)
                fn = lambda: float(tt.do_bench(call, **kw))  # noqa: E731
            else:  # old Triton: median through quantiles
                how = "triton %s do_bench(warmup=%g, rep=%g, quantiles=[0.5])" % (
                    triton.__version__, args.warmup_ms, args.rep_ms)
                fn = lambda: float(tt.do_bench(call, quantiles=[0.5], **kw)[0])  # noqa: E731
            return {"name": "do_bench", "fn": fn, "flops": flops, "how": how}
        except ImportError as exc:
            note = "triton not importable (%s): " % exc
        return {"name": "cuda_event", "flops": flops,
                "how": note + "per-call CUDA events, warmup %g ms, rep %g ms, median" % (args.warmup_ms, args.rep_ms),
                "fn": lambda: per_call_median_ms(torch, call, args.warmup_ms, args.rep_ms, cuda=True)}
    return {"name": "perf_counter", "flops": flops,
            "how": "per-call time.perf_counter, warmup %g ms, rep %g ms, median" % (args.warmup_ms, args.rep_ms),
            "fn": lambda: per_call_median_ms(torch, call, args.warmup_ms, args.rep_ms, cuda=False)}


def per_call_median_ms(torch, call, warmup_ms, rep_ms, cuda):
    """do_bench's shape without Triton: estimate, warm up for warmup_ms, time ~rep_ms of calls one by
    one, return the median in ms."""
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    call()
    sync()
    t0 = time.perf_counter()
    for _ in range(3):
        call()
    sync()
    est_ms = max((time.perf_counter() - t0) / 3 * 1e3, 1e-3)
    for _ in range(max(1, int(warmup_ms / est_ms))):
        call()
    sync()
    times = []
    for _ in range(max(5, int(rep_ms / est_ms))):
        if cuda:
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            s.record()
            call()
            e.record()
            e.synchronize()
            times.append(s.elapsed_time(e))
        else:
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def apply_backend_precision(torch, device):
    """The plugin's precision settings (torch_backend.TorchBackend._set_precision), so both tools
    time the same cuBLAS/CPU kernels; returns how it was done and the resulting flags."""
    how = "torch_backend.TorchBackend._set_precision"
    try:
        sys.path.insert(0, BACKENDS)
        import torch_backend
        tb = torch_backend.TorchBackend()
        tb.device = device
        tb._set_precision()
    except Exception as exc:
        how = "fallback (%s)" % exc
        for setter in (lambda: torch.set_float32_matmul_precision("highest"),
                       lambda: setattr(torch.backends.cuda.matmul, "allow_tf32", False),
                       lambda: setattr(torch.backends.cuda.matmul, "allow_fp16_reduced_precision_reduction", False),
                       lambda: setattr(torch.backends.cuda.matmul, "allow_bf16_reduced_precision_reduction", False)):
            try:
                setter()
            except Exception:
                pass
    flags = {}
    for name in ("allow_tf32", "allow_fp16_reduced_precision_reduction", "allow_bf16_reduced_precision_reduction"):
        try:
            flags["cuda.matmul." + name] = getattr(torch.backends.cuda.matmul, name)
        except Exception:
            pass
    try:
        flags["float32_matmul_precision"] = torch.get_float32_matmul_precision()
    except Exception:
        pass
    return how, flags


# ------------------------------------------------------------------ verdicts and output

def verdicts(rows, peer):
    a = [x for x in rows if x["tool"] == "assay" and math.isfinite(num(x.get("tflops")))]
    d = [x for x in rows if x["tool"] != "assay" and math.isfinite(num(x.get("tflops")))]
    v = {"assay_rounds": len(a), "peer_rounds": len(d), "peer": peer}
    lines = []
    if a:
        v["assay_median_tflops"] = statistics.median(x["tflops"] for x in a)
        v["assay_spread_tflops"] = [min(x["tflops"] for x in a), max(x["tflops"] for x in a)]
        widths = [x["ci_tflops"][1] - x["ci_tflops"][0] for x in a]
        v["assay_ci_width_tflops"] = widths
        v["assay_ci_width_median_tflops"] = statistics.median(widths)
    if d:
        v["peer_median_tflops"] = statistics.median(x["tflops"] for x in d)
        v["peer_spread_tflops"] = [min(x["tflops"] for x in d), max(x["tflops"] for x in d)]
        v["peer_spread_width_tflops"] = v["peer_spread_tflops"][1] - v["peer_spread_tflops"][0]
    if not a or not d:
        lines.append("verdict: n/a: %d Assay and %d %s figure(s); need at least one of each" % (len(a), len(d), peer))
        v["lines"] = lines
        return v
    lo, hi = v["peer_spread_tflops"]
    am = v["assay_median_tflops"]
    v["assay_vs_peer_percent"] = (am / v["peer_median_tflops"] - 1) * 100
    inside = [lo <= x["tflops"] <= hi for x in a]
    if len(d) < 2:
        v["assay_median_within_peer_spread"] = None
        v["assay_ci_narrower_than_peer_spread"] = None
        lines.append("verdict: Assay median within %s's spread? n/a (one %s round: no spread)" % (peer, peer))
        lines.append("verdict: Assay's CI narrower than %s's run-to-run spread? n/a" % peer)
    else:
        v["assay_median_within_peer_spread"] = lo <= am <= hi
        narrower = [w < v["peer_spread_width_tflops"] for w in v["assay_ci_width_tflops"]]
        v["assay_ci_narrower_than_peer_spread"] = v["assay_ci_width_median_tflops"] < v["peer_spread_width_tflops"]
        lines.append("verdict: Assay median within %s's spread? %s: Assay %s TFLOP/s (median of %d rounds) vs %s "
                     "%s-%s (%d rounds); %d of %d Assay rounds inside; Assay %+.2f%% vs %s median %s"
                     % (peer, "YES" if v["assay_median_within_peer_spread"] else "NO", tf(am), len(a), peer, tf(lo),
                        tf(hi), len(d), sum(inside), len(a), v["assay_vs_peer_percent"], peer,
                        tf(v["peer_median_tflops"])))
        lines.append("verdict: Assay's CI narrower than %s's run-to-run spread? %s: CI width %s TFLOP/s (median; "
                     "%d of %d rounds narrower) vs %s spread %s TFLOP/s"
                     % (peer, "YES" if v["assay_ci_narrower_than_peer_spread"] else "NO",
                        tf(v["assay_ci_width_median_tflops"]), sum(narrower), len(a), peer,
                        tf(v["peer_spread_width_tflops"])))
    sa = v["assay_spread_tflops"]
    covered = sum(1 for x in a if all(x["ci_tflops"][0] <= y["tflops"] <= x["ci_tflops"][1] for y in a))
    lines.append("info: Assay's own run-to-run spread %s-%s TFLOP/s (%s wide); %d of %d Assay CIs hold every "
                 "Assay round's median" % (tf(sa[0]), tf(sa[1]), tf(sa[1] - sa[0]), covered, len(a)))
    v["lines"] = lines
    return v


def table(rows, v):
    head = "%-5s %-12s %9s  %-26s %-11s %-13s %s" % ("round", "tool", "TFLOP/s", "CI / spread (TFLOP/s)",
                                                    "SM MHz", "power W", "note")
    out = [head, "-" * len(head)]
    spread = v.get("peer_spread_tflops")
    for x in rows:
        nv = x.get("nvml") or {}
        if x["tool"] == "assay":
            ci = x.get("ci_tflops")
            ci_s = ("%s-%s (±%.2f%%)" % (tf(ci[0]), tf(ci[1]), 100 * x["ci_relative_half_width"])) if ci else "-"
            note = ("ERROR " + x["error"]) if x.get("error") else "n=%s k=%s %s" % (
                x.get("n"), x.get("k"), "converged" if x.get("converged") else (x.get("stop_reason") or ""))
        else:
            ci_s = ("spread %s-%s" % (tf(spread[0]), tf(spread[1]))) if spread and v.get("peer_rounds", 0) > 1 else "-"
            note = x.get("error") or ""
        power = nv.get("power_instant_w") or nv.get("power_w")
        out.append("%-5s %-12s %9s  %-26s %-11s %-13s %s" % (x["round"], x["tool"], tf(num(x.get("tflops"))), ci_s,
                                                           fmt_range(nv.get("sm_clock_mhz")), fmt_range(power),
                                                           note[:60]))
    return out


def versions(torch):
    out = {"python": platform.python_version(), "torch": torch.__version__,
           "cuda": getattr(torch.version, "cuda", None)}
    try:
        import triton
        out["triton"] = triton.__version__
    except Exception as exc:
        out["triton"] = "absent (%s)" % type(exc).__name__
    try:
        import pynvml
        out["pynvml"] = getattr(pynvml, "__version__", "present")
    except Exception:
        out["pynvml"] = "absent"
    return out


def main(argv=None):
    args = parse_args(argv)
    args.t0 = time.monotonic()
    os.makedirs(args.out, exist_ok=True)
    out_dir = os.path.abspath(args.out)
    work = os.path.join(out_dir, "do_bench_vs_assay")
    os.makedirs(work, exist_ok=True)
    target = args.target or os.path.join("Targets", "torch-cpu.yaml" if args.device == "cpu" else "nvidia-h100.yaml")
    assay = find_assay(args.assay)
    suite, suite_text = make_suite(args.suite, args.size, args.dtype, work)

    import torch
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda but torch.cuda.is_available() is False (use --device cpu for a dry run)")
        device = torch.device("cuda", device.index if device.index is not None else torch.cuda.current_device())
        torch.cuda.set_device(device)
    precision_how, flags = apply_backend_precision(torch, device)
    tele, nvml_note = open_nvml(torch, device)
    sampler = Sampler(tele, args.nvml_interval_ms / 1e3)
    bench = make_bench(args, torch, device)
    peer = bench["name"]
    dev_name = torch.cuda.get_device_name(device) if device.type == "cuda" else (platform.processor() or platform.machine())
    print("do_bench_vs_assay: %s %d^3 on %s (%s); %d rounds of assay then %s; NVML: %s"
          % (args.dtype, args.size, device, dev_name, args.rounds, peer, nvml_note), flush=True)
    print("  assay: %s  target: %s  suite: %s" % (assay, target, os.path.relpath(suite, ROOT)), flush=True)
    print("  %s: %s" % (peer, bench["how"]), flush=True)

    rows, stopped, longest = [], None, 0.0
    for r in range(1, args.rounds + 1):
        elapsed = time.monotonic() - args.t0
        if args.deadline_s and r > 1 and elapsed + longest * 1.2 > args.deadline_s:
            stopped = "stopped before round %d: %.0f s used, a round takes ~%.0f s, deadline %.0f s" % (
                r, elapsed, longest, args.deadline_s)
            print("  " + stopped, flush=True)
            break
        t_round = time.monotonic()
        if assay:
            row = assay_round(args, r, assay, target, suite, work, sampler)
        else:
            row = {"round": r, "tool": "assay", "error": "no assay binary (.gpu-kit/assay, $ASSAY_BIN, --assay)"}
        rows.append(row)
        print("  round %d assay:    %s TFLOP/s  CI %s  SM %s MHz  (%s s)%s" % (
            r, tf(num(row.get("tflops"))), "-".join(tf(c) for c in row["ci_tflops"]) if row.get("ci_tflops") else "-",
            fmt_range((row.get("nvml") or {}).get("sm_clock_mhz")), row.get("seconds", "-"),
            ("  ERROR " + row["error"]) if row.get("error") else ""), flush=True)
        row = bench_round(args, r, bench, sampler)
        rows.append(row)
        print("  round %d %-9s %s TFLOP/s  (%.3f ms)  SM %s MHz  (%s s)%s" % (
            r, peer + ":", tf(row["tflops"]), row["median_ms"], fmt_range(row["nvml"].get("sm_clock_mhz")),
            row["seconds"], ("  ERROR " + row["error"]) if row.get("error") else ""), flush=True)
        longest = max(longest, time.monotonic() - t_round)

    v = verdicts(rows, peer)
    lines = table(rows, v)
    print()
    print("\n".join(lines))
    print()
    for line in v["lines"]:
        print(line)
    result = {
        "schema": 1,
        "config": {"device": str(device), "device_name": dev_name, "size": args.size, "dtype": args.dtype,
                   "rounds_requested": args.rounds, "rounds_run": len([x for x in rows if x["tool"] == "assay"]),
                   "stopped": stopped, "assay": assay, "target": target, "suite": os.path.relpath(suite, ROOT),
                   "suite_text": suite_text, "time_cap_s": args.time_cap, "peer": peer, "peer_how": bench["how"],
                   "warmup_ms": args.warmup_ms, "rep_ms": args.rep_ms, "nvml": nvml_note,
                   "nvml_interval_ms": args.nvml_interval_ms, "precision": precision_how, "precision_flags": flags,
                   "flops": bench["flops"]},
        "versions": versions(torch),
        "rounds": rows,
        "verdict": v,
        "table": lines,
    }
    path = os.path.join(out_dir, "do_bench_vs_assay.json")
    with open(path + ".tmp", "w") as f:
        json.dump(strict(result), f, indent=1, sort_keys=True, default=str, allow_nan=False)
    os.replace(path + ".tmp", path)
    print("wrote %s" % path)
    ok = v["assay_rounds"] > 0 and v["peer_rounds"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
