"""Agreement: Assay's median for kernels the numpy plugin executes, against the same numpy calls
timed by Python's own timeit in this process. A ratio near 1.00 means Assay's sampler adds no bias."""
import sys

import numpy as np

from bench_common import performance_cases, ratio_line, timeit_median_ns

cases = performance_cases(sys.argv[1])
rng = np.random.default_rng(1)
a, b = (rng.random((1024, 1024), dtype=np.float32) * 2 - 1 for _ in range(2))
ns, k = timeit_median_ns(lambda: a @ b)
print(ratio_line("numpy f32 matmul 1024^3 (ms)", cases[("matmul", "m1024.n1024.k1024")]["summary"]["median"] / 1e6, ns / 1e6, "ms", "timeit"))
x, y = (rng.random(4194304, dtype=np.float32) for _ in range(2))
ns, k = timeit_median_ns(lambda: np.add(x, y))
print(ratio_line("numpy f32 add 4M (ms)", cases[("add", "a4194304.b4194304")]["summary"]["median"] / 1e6, ns / 1e6, "ms", "timeit"))
