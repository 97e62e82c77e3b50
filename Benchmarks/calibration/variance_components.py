"""Variance components of repeated timings: between runs (fresh processes), between rounds
within a run, and within a round — the measurement behind the gate's default rounds
(docs/DECISIONS.md, "Gate"). numpy kernels like perf-smoke's, timed with perf_counter_ns;
each run is a fresh python process, rounds interleaved across the ops as `assay run` does.

  python3 Benchmarks/calibration/variance_components.py [runs] [rounds] [seconds-per-round-per-op]
"""
import json
import math
import os
import subprocess
import sys
import time


def child(rounds, seconds):
    import numpy as np
    rng = np.random.default_rng(7)
    a = rng.standard_normal((128, 128), dtype=np.float32)
    b = rng.standard_normal((128, 128), dtype=np.float32)
    x = rng.standard_normal((64, 1024), dtype=np.float32)
    v = rng.standard_normal(1 << 20, dtype=np.float32)
    ops = {"matmul128": lambda: a @ b,
           "softmax64x1024": lambda: np.exp(x - x.max(axis=1, keepdims=True)) / np.exp(x - x.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
           "copy1M": lambda: v.copy()}
    result = {name: [] for name in ops}
    for _ in range(rounds):
        for name, fn in ops.items():
            for _ in range(20):  # warm-up, as the sampler does
                fn()
            samples = []
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                t0 = time.perf_counter_ns()
                fn()
                samples.append(time.perf_counter_ns() - t0)
            samples.sort()
            result[name].append(math.log(samples[len(samples) // 2]))
    print(json.dumps(result))


def components(runs):
    """Nested one-way ANOVA on the round log-medians: (between-run SD, between-round SD)."""
    r = len(runs[0])
    means = [sum(run) / r for run in runs]
    grand = sum(means) / len(means)
    within = sum((value - mean) ** 2 for run, mean in zip(runs, means) for value in run) / (len(runs) * (r - 1))
    between = r * sum((mean - grand) ** 2 for mean in means) / (len(runs) - 1)
    return math.sqrt(max(0.0, (between - within) / r)), math.sqrt(within)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(int(sys.argv[2]), float(sys.argv[3]))
    runs, rounds, seconds = (int(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2 else 5,
                             float(sys.argv[3]) if len(sys.argv) > 3 else 0.5)
    per_op = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", str(rounds), str(seconds)],
                             check=True, capture_output=True, text=True).stdout
        for name, values in json.loads(out).items():
            per_op.setdefault(name, []).append(values)
    print("%d runs x %d rounds x %.2f s per op, %d CPUs, load %s" % (runs, rounds, seconds, os.cpu_count(), open("/proc/loadavg").read().split()[0]))
    print("%-16s %14s %16s" % ("op", "between-run SD", "between-round SD"))
    for name, values in per_op.items():
        run_sd, round_sd = components(values)
        print("%-16s %13.2f%% %15.2f%%" % (name, 100 * run_sd, 100 * round_sd))


if __name__ == "__main__":
    main()
