"""Times PyTorch on the CPU on the shapes of suites/native-vs-torch.yaml and prints Assay's native
figures (from the run record given) beside them (usage: RUN_JSON [THREADS [ROW-FILTER]]): time per call and torch-time / assay-time
(> 1 means native is faster). Exits 0 with a note when torch is not importable."""
import sys
import time

from bench_common import performance_cases, record_number, timeit_median_ns

try:
    import torch
except ImportError:
    print("torch not importable: native vs torch CPU skipped")
    sys.exit(0)

cases = performance_cases(sys.argv[1], with_dtype=True)
threads = int(sys.argv[2]) if len(sys.argv) > 2 else torch.get_num_threads()
only = sys.argv[3] if len(sys.argv) > 3 else ""  # optional: rows whose name contains this
torch.set_num_threads(threads)
torch.manual_seed(1)
print(f"torch {torch.__version__} on the CPU, {torch.get_num_threads()} threads; "
      f"{torch.backends.cpu.get_cpu_capability()}")
DTYPES = {"f32": torch.float32, "bf16": torch.bfloat16, "f16": torch.float16}


def rand(dtype, *shape):
    return (torch.rand(*shape) * 2 - 1).to(DTYPES[dtype])


def attention(dtype):
    q, k, v = (rand(dtype, 1, 32, 512, 128) for _ in range(3))
    return lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)


def matmul(dtype, m, n, k):
    a, b = rand(dtype, m, k), rand(dtype, k, n)
    return lambda: a @ b


def add(dtype):
    a, b = rand(dtype, 16777216), rand(dtype, 16777216)
    return lambda: a + b


def softmax(dtype):
    x = rand(dtype, 4096, 4096)
    return lambda: torch.softmax(x, dim=-1)


def torch_median_ns(call):
    """Median ns per call; 3 samples instead of 15 where one call takes over a second (torch's
    f16 GEMM on the CPU has no fast path: 2048³ takes tens of seconds a call on a loaded machine)."""
    start = time.perf_counter()
    call()
    slow = time.perf_counter() - start > 1.0
    return timeit_median_ns(call, samples=3 if slow else 15)[0]


rows = [("SDPA b1 h32 s512 d128 causal", ("scaled_dot_product_attention", "b1.h32.s512.d128"), attention, ("f32", "bf16"))]
for m, n, k in ((2048, 2048, 2048), (1, 4096, 4096)):
    rows.append((f"matmul {m}x{n}x{k}", ("matmul", f"m{m}.n{n}.k{k}"), lambda d, m=m, n=n, k=k: matmul(d, m, n, k), ("f32", "bf16", "f16")))
rows.append(("add 16M", ("add", "a16777216.b16777216"), add, ("bf16", "f16")))
rows.append(("softmax 4096x4096", ("softmax", "shape4096x4096"), softmax, ("bf16", "f16")))

print(f"{'case':<40} {'native':>12} {'torch CPU':>12} {'torch/native':>13}")
for name, (op, shape), make, dtypes in rows:
    for dtype in dtypes:
        if only not in f"{name} {dtype}":
            continue
        record = cases.get((op, shape, dtype))
        native_ns = record_number(record["summary"]["median"]) if record else float("nan")
        torch_ns = torch_median_ns(make(dtype))
        flops = record_number(record.get("flops")) if record else float("nan")
        rates = f"  ({flops / native_ns:.0f} vs {flops / torch_ns:.0f} GFLOP/s)" if flops == flops else ""
        print(f"{name + ' ' + dtype:<40} {native_ns / 1e6:9.3f} ms {torch_ns / 1e6:9.3f} ms {torch_ns / native_ns:12.2f}x{rates}", flush=True)
