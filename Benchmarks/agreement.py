"""Agreement: Assay's median for kernels the numpy plugin executes, against the very same callable
timed by Python's own timeit in this process. A ratio near 1.00 means Assay's sampler, the plugin
protocol and the plugin's timing loop add no bias.

Usage: python3 Benchmarks/agreement.py ASSAY_BINARY OUT_DIR [ROUNDS]   (default 7 rounds)

This machine's speed moves in steps that last tens of seconds (a 1024^3 matmul at 4.4 ms for a
minute, then 4.85 ms), which is far larger than any bias worth finding. So each round is short
and bracketed: timeit, then Assay (`--no-ceilings`, a few seconds), then timeit again; the round's
ratio is Assay against the mean of the two timeit figures around it, and the verdict is the median
of the rounds' ratios, which a round that straddles a step cannot move.
The timeit side builds its callable with the numpy backend's own `prepare()` on the inputs the
plugin generates from the same seed: same values, same code path, only the timer differs.
It runs in a fresh process for every measurement, as the plugin does for every Assay run: where
a process's buffers land in memory moves a matmul by a few percent, so one long-lived timeit
process would be one draw of that lottery set against seven.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "Backends", "python"))

from assay_backend import TensorSpec, random_inputs  # noqa: E402
from bench_common import performance_cases, ratio_line, timeit_median_ns  # noqa: E402
from numpy_backend import NumpyBackend  # noqa: E402

# (label, op, shape segment of the case id, attrs, input specs): the cases of suites/agreement.yaml.
KERNELS = [
    ("numpy f32 matmul 1024^3 (ms)", "matmul", "m1024.n1024.k1024", {"transpose_a": False, "transpose_b": False},
     [TensorSpec("f32", [1024, 1024]), TensorSpec("f32", [1024, 1024])]),
    ("numpy f32 add 4M (ms)", "add", "a4194304.b4194304", {},
     [TensorSpec("f32", [4194304]), TensorSpec("f32", [4194304])]),
]
SEED = 1  # the suite's seed


def assay_medians(assay, out_dir):
    """Runs Assay once on the agreement suite; {(op, shape): median ns}."""
    subprocess.run([assay, "run", "--target", "numpy-cpu", "--suite", os.path.join(HERE, "suites", "agreement.yaml"),
                    "--out", out_dir, "--quiet", "--no-reports", "--no-ceilings"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    cases = performance_cases(os.path.join(out_dir, "numpy-cpu", "latest", "run.json"))
    return {key: record["summary"]["median"] for key, record in cases.items()}


def timeit_medians():
    """The plugin's own callables, timed by timeit in a fresh process; {(op, shape): median ns}."""
    worker = subprocess.run([sys.executable, os.path.abspath(__file__), "--timeit-worker"],
                            check=True, stdout=subprocess.PIPE, text=True)
    return {(op, shape): ns for op, shape, ns in json.loads(worker.stdout)}


def timeit_worker():
    """Prints [[op, shape, median ns], ...] for every kernel, timed here."""
    backend = NumpyBackend()
    medians = []
    for _, op, shape, attrs, specs in KERNELS:
        call = backend.prepare(op, "f32", attrs, random_inputs(specs, SEED))
        medians.append([op, shape, timeit_median_ns(call)[0]])
    print(json.dumps(medians))


def main():
    assay, out_dir = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    ratios = {(op, shape): [] for _, op, shape, _, _ in KERNELS}
    for index in range(rounds):
        before = timeit_medians()
        assay_side = assay_medians(assay, out_dir)
        after = timeit_medians()
        for label, op, shape, _, _ in KERNELS:
            key = (op, shape)
            if key not in assay_side:
                print(f"round {index + 1}: {label}: no Assay figure (see the run record in {out_dir})")
                continue
            peer = (before[key] + after[key]) / 2
            ratios[key].append(assay_side[key] / peer)
            print(f"round {index + 1}: " + ratio_line(label, assay_side[key] / 1e6, peer / 1e6, "ms", "timeit")
                  + f"   (timeit before {before[key] / 1e6:.2f}, after {after[key] / 1e6:.2f})")
    for label, op, shape, _, _ in KERNELS:
        values = ratios[(op, shape)]
        if values:
            print(f"agreement {label:<30} median of {len(values)} round ratios {statistics.median(values):5.3f}x"
                  f"   (rounds {min(values):.3f}-{max(values):.3f})")


if __name__ == "__main__":
    timeit_worker() if sys.argv[1:] == ["--timeit-worker"] else main()
