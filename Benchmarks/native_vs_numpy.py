"""Times numpy (OpenBLAS) on the shapes of suites/native-vs-numpy.yaml and prints Assay's native
figures (from the run record given) beside them as ratios: throughput(assay) / throughput(numpy)."""
import sys

import numpy as np

from bench_common import performance_cases, ratio_line, timeit_median_ns

try:
    from threadpoolctl import threadpool_info
    blas = ", ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}" for i in threadpool_info())
except ImportError:
    blas = "threadpoolctl not installed"

cases = performance_cases(sys.argv[1])
rng = np.random.default_rng(1)
print(f"numpy {np.__version__}; BLAS: {blas}")


def rand(*shape):
    return (rng.random(shape, dtype=np.float32) * 2 - 1)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


for n in (512, 1024, 2048):
    a, b = rand(n, n), rand(n, n)
    ns, _ = timeit_median_ns(lambda: a @ b)
    record = cases[("matmul", f"m{n}.n{n}.k{n}")]
    flops = 2.0 * n ** 3
    print(ratio_line(f"f32 matmul {n}^3", flops / record["summary"]["median"], flops / ns, "GFLOP/s", "numpy"))

x = rand(4096, 4096)
w, bias = rand(4096), rand(4096)
for name, call, key in (("softmax 4096x4096", lambda: softmax(x), ("softmax", "shape4096x4096")),
                        ("layer_norm 4096x4096", lambda: layer_norm(x, w, bias), ("layer_norm", "shape4096x4096"))):
    ns, _ = timeit_median_ns(call)
    record = cases[key]
    bytes_moved = record["bytes"]
    print(ratio_line(name, bytes_moved / record["summary"]["median"], bytes_moved / ns, "GB/s", "numpy"))

v = rand(16777216)
ns, _ = timeit_median_ns(lambda: v.copy())
record = cases[("copy", "shape16777216")]
print(ratio_line("copy 16M f32", record["bytes"] / record["summary"]["median"], record["bytes"] / ns, "GB/s", "numpy"))
