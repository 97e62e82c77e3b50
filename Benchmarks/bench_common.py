"""Shared helpers of the Benchmarks scripts: read an Assay run record, time a callable like Assay does."""
import json
import statistics
import time
import timeit


def performance_cases(run_json, with_dtype=False):
    """{(op, shape-segment): performance record} for the performance cases of a run record
    ({(op, shape-segment, dtype): record} with `with_dtype`)."""
    with open(run_json) as handle:
        record = json.load(handle)
    cases = {}
    for case in record["cases"]:
        if case["kind"] == "performance" and case.get("performance"):
            suite, op, shape, dtype = case["id"].split("/")[:4]
            cases[(op, shape, dtype) if with_dtype else (op, shape)] = case["performance"]
    return cases


def record_number(value):
    """A number from a run record: JSON numbers, or the "nan"/"inf"/"-inf" strings the record writes
    for undefined figures; nan for anything else (absent, null, not a number)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def timeit_median_ns(call, min_sample_s=0.001, samples=41):
    """Median ns per call over `samples` samples, each of k calls with k sized so a sample ≥ 1 ms
    (the same rule as Assay's sampler), after a warm-up of ≥ 3 calls and ≥ 0.1 s."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < 0.1:
        call()
        calls += 1
    k = 1
    while True:
        elapsed = timeit.timeit(call, number=k)
        if elapsed >= min_sample_s:
            break
        k *= 10 if elapsed < min_sample_s / 10 else 2
    times = [timeit.timeit(call, number=k) / k * 1e9 for _ in range(samples)]
    return statistics.median(times), k


def ratio_line(name, assay_value, peer_value, unit, peer_name):
    ratio = assay_value / peer_value if peer_value else float("nan")
    return f"{name:<34} assay {assay_value:10.2f} {unit:<8} {peer_name} {peer_value:10.2f} {unit:<8} ratio {ratio:5.2f}x"
