"""Agreement: Assay's median for kernels the numpy plugin executes, against the very same callable
timed by Python's own timeit in this process. A ratio near 1.00 means Assay's sampler, the plugin
protocol and the plugin's timing loop add no bias.

Usage: python3 Benchmarks/agreement.py ASSAY_BINARY OUT_DIR [ROUNDS]

Each round runs Assay on suites/agreement.yaml, then timeit right after, so slow drift of a shared
machine lands on both sides of a round; the rounds' medians are then compared as a whole.
The timeit side builds its callable with the numpy backend's own `prepare()` on the inputs the
plugin generates from the same seed: same values, same code path, only the timer differs.
"""
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
                    "--out", out_dir, "--quiet", "--no-reports"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    cases = performance_cases(os.path.join(out_dir, "numpy-cpu", "latest", "run.json"))
    return {key: record["summary"]["median"] for key, record in cases.items()}


def timeit_medians():
    """The plugin's own callables for the same cases, timed by timeit; {(op, shape): median ns}."""
    backend = NumpyBackend()
    medians = {}
    for _, op, shape, attrs, specs in KERNELS:
        call = backend.prepare(op, "f32", attrs, random_inputs(specs, SEED))
        medians[(op, shape)] = timeit_median_ns(call)[0]
    return medians


def main():
    assay, out_dir = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    per_round = []
    for index in range(rounds):
        assay_side, timeit_side = assay_medians(assay, out_dir), timeit_medians()
        per_round.append((assay_side, timeit_side))
        for label, op, shape, _, _ in KERNELS:
            if (op, shape) not in assay_side:
                print(f"round {index + 1}: {label}: no Assay figure (see the run record in {out_dir})")
                continue
            print(f"round {index + 1}: " + ratio_line(label, assay_side[(op, shape)] / 1e6, timeit_side[(op, shape)] / 1e6, "ms", "timeit"))
    for label, op, shape, _, _ in KERNELS:
        assay_values = [a[(op, shape)] for a, _ in per_round if (op, shape) in a]
        timeit_values = [t[(op, shape)] for _, t in per_round]
        if assay_values:
            print("overall: " + ratio_line(label, statistics.median(assay_values) / 1e6,
                                           statistics.median(timeit_values) / 1e6, "ms", "timeit"))


if __name__ == "__main__":
    main()
