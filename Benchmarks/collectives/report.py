"""all_reduce bus bandwidth side by side over interleaved repeats: Assay's numpy backend (run.json),
the same ring timed directly (direct.py's JSON lines), and Assay's torch gloo backend (run.json).
Usage:
  python3 report.py plan RUN_JSON            -> direct.py's BYTES:K:SAMPLES:WARMUP arguments from an Assay run
  python3 report.py table OUT_DIR REPEATS    -> per-repeat figures and their medians, Assay/direct ratio"""
import json
import os
import statistics
import sys


def assay_cases(path):
    """{bytes: collective case} of the passed all_reduce cases of a run record ({} when absent)."""
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        record = json.load(handle)
    return {case["collective"]["bytes"]: case for case in record["cases"]
            if case.get("collective") and case["outcome"] == "pass" and case["collective"]["op"] == "all_reduce"}


def plan(path):
    """The k, sample count and warm-up calls Assay's sampler used per size (warm-up capped: the
    direct loop needs only as many untimed calls to be as warm)."""
    specs = []
    for nbytes, case in sorted(assay_cases(path).items()):
        perf = case["performance"]
        specs.append("%d:%d:%d:%d" % (nbytes, perf["k"], perf["n"], min(perf["warmupCalls"], 20)))
    print(" ".join(specs))


def direct_figures(path):
    figures = {}
    if os.path.exists(path):
        with open(path) as handle:
            for line in handle:
                row = json.loads(line)
                figures[row["bytes"]] = row["bus_gbs"]
    return figures


def table(out, repeats):
    rows = {"numpy": [], "direct": [], "torch": []}
    for r in range(1, repeats + 1):
        rows["numpy"].append({b: c["collective"]["busGBs"] for b, c in assay_cases(os.path.join(out, "numpy-%d.json" % r)).items()})
        rows["direct"].append(direct_figures(os.path.join(out, "direct-%d.jsonl" % r)))
        rows["torch"].append({b: c["collective"]["busGBs"] for b, c in assay_cases(os.path.join(out, "torch-%d.json" % r)).items()})
    sizes = sorted(set().union(*rows["numpy"], *rows["direct"]))

    def fmt(value):
        return "%.3f" % value if value is not None else "-"
    print("all_reduce f32, 2 ranks over loopback, bus bandwidth GB/s (nccl-tests factor 2(n-1)/n)")
    print("%-8s %-7s %12s %12s %9s %12s" % ("size", "repeat", "assay numpy", "direct ring", "assay/dir", "assay gloo"))
    medians = {}
    for nbytes in sizes:
        for r in range(repeats):
            a, d, t = rows["numpy"][r].get(nbytes), rows["direct"][r].get(nbytes), rows["torch"][r].get(nbytes)
            ratio = "%+.1f%%" % ((a / d - 1) * 100) if a and d else "-"
            print("%-8s %-7s %12s %12s %9s %12s" % ("%d MiB" % (nbytes >> 20), r + 1, fmt(a), fmt(d), ratio, fmt(t)))
        got = [[row[nbytes] for row in rows[name] if nbytes in row] for name in ("numpy", "direct", "torch")]
        medians[nbytes] = [statistics.median(values) if values else None for values in got]
    print()
    print("medians over %d interleaved repeats" % repeats)
    print("%-8s %12s %12s %9s %12s" % ("size", "assay numpy", "direct ring", "assay/dir", "assay gloo"))
    for nbytes in sizes:
        a, d, t = medians[nbytes]
        ratio = "%+.1f%%" % ((a / d - 1) * 100) if a and d else "-"
        print("%-8s %12s %12s %9s %12s" % ("%d MiB" % (nbytes >> 20), fmt(a), fmt(d), ratio, fmt(t)))


if __name__ == "__main__":
    if sys.argv[1] == "plan":
        plan(sys.argv[2])
    else:
        table(sys.argv[2], int(sys.argv[3]))
