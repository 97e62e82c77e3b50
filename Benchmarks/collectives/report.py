"""all_reduce bus bandwidth side by side over interleaved repeats: Assay's numpy backend (run.json),
the same ring timed directly (direct.py's JSON lines, in Assay's batches and in one loop), and
Assay's torch gloo backend (run.json).
Usage:
  python3 report.py plan RUN_JSON            -> direct.py's BYTES:K:SAMPLES:WARMUP arguments from an Assay run
  python3 report.py table OUT_DIR REPEATS    -> one table: medians over the repeats and the median
                                                of the per-repeat Assay/direct ratios with their range"""
import json
import os
import statistics
import sys

#: The measurements of a repeat, by file prefix: Assay numpy, direct in Assay's batches, direct
#: in one loop, Assay torch gloo.
COLUMNS = ("numpy", "direct", "one", "torch")


def assay_cases(path):
    """{bytes: collective case} of the passed all_reduce cases of a run record ({} when absent)."""
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        record = json.load(handle)
    return {case["collective"]["bytes"]: case for case in record["cases"]
            if case.get("collective") and case["outcome"] == "pass" and case["collective"]["op"] == "all_reduce"}


def plan(path):
    """The k, sample count and warm-up calls Assay's sampler used per size: direct.py repeats
    exactly those, so both sides time the same calls the same number of times."""
    specs = ["%d:%d:%d:%d" % (nbytes, case["performance"]["k"], case["performance"]["n"], case["performance"]["warmupCalls"])
             for nbytes, case in sorted(assay_cases(path).items())]
    print(" ".join(specs))


def figures(out, name, repeat):
    """{bytes: bus GB/s} of one measurement of one repeat ({} when it is missing or failed)."""
    if name in ("numpy", "torch"):
        cases = assay_cases(os.path.join(out, "%s-%d.json" % (name, repeat)))
        return {nbytes: case["collective"]["busGBs"] for nbytes, case in cases.items()}
    path = os.path.join(out, "%s-%d.jsonl" % (name, repeat))
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return {row["bytes"]: row["bus_gbs"] for row in map(json.loads, handle)}


def low_ratios(out, repeats):
    """{bytes: [Assay/direct bus bandwidth ratio at the samples' low quantile, one per repeat]}:
    direct.py's `low_quantile` on both sides (run.json keeps Assay's samples, per call, of the
    slowest rank; direct.py prints its own as `low_ns`)."""
    from direct import low_quantile
    ratios = {}
    for repeat in range(1, repeats + 1):
        cases = assay_cases(os.path.join(out, "numpy-%d.json" % repeat))
        path = os.path.join(out, "direct-%d.jsonl" % repeat)
        if not os.path.exists(path):
            continue
        with open(path) as handle:
            direct = {row["bytes"]: row for row in map(json.loads, handle) if "low_ns" in row}
        for nbytes, case in cases.items():
            samples = case["performance"]["samples"]
            if nbytes in direct and samples:
                ratios.setdefault(nbytes, []).append(direct[nbytes]["low_ns"] / low_quantile(samples))
    return ratios


def median_or_none(values):
    return statistics.median(values) if values else None


def table(out, repeats):
    runs = {name: [figures(out, name, r) for r in range(1, repeats + 1)] for name in COLUMNS}
    sizes = sorted(set().union(*runs["numpy"], *runs["direct"]))

    def fmt(value):
        return "%.3f" % value if value is not None else "-"

    def pct(ratio):
        return "%+.1f%%" % ((ratio - 1) * 100)
    print("all_reduce f32, 2 ranks over loopback: bus bandwidth GB/s (nccl-tests factor 2(n-1)/n),")
    print("medians over %d interleaved repeats; assay/direct: median of the per-repeat ratios [lowest, highest]" % repeats)
    lows = low_ratios(out, repeats)
    print("%-8s %11s %11s %24s %13s %13s %11s" % ("size", "assay numpy", "direct", "assay/direct", "at q0.10",
                                                 "direct 1 loop", "assay gloo"))
    for nbytes in sizes:
        column = {name: [run[nbytes] for run in runs[name] if nbytes in run] for name in COLUMNS}
        ratios = sorted(a[nbytes] / d[nbytes] for a, d in zip(runs["numpy"], runs["direct"]) if nbytes in a and nbytes in d)
        spread = "%s [%s, %s]" % (pct(statistics.median(ratios)), pct(ratios[0]), pct(ratios[-1])) if ratios else "-"
        low = pct(statistics.median(lows[nbytes])) if lows.get(nbytes) else "-"
        print("%-8s %11s %11s %24s %13s %13s %11s" % ("%d MiB" % (nbytes >> 20), fmt(median_or_none(column["numpy"])),
                                                     fmt(median_or_none(column["direct"])), spread, low,
                                                     fmt(median_or_none(column["one"])),
                                                     fmt(median_or_none(column["torch"]))))
    print("at q0.10: the median over the repeats of the same ratio taken at the samples' 10% quantile (this"
          " machine's noise is slowdowns lasting seconds)")


if __name__ == "__main__":
    if sys.argv[1] == "plan":
        plan(sys.argv[2])
    else:
        table(sys.argv[2], int(sys.argv[3]))
