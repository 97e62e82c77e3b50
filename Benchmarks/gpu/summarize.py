#!/usr/bin/env python3
"""Summary of a Benchmarks/gpu/run.sh work folder: SUMMARY.txt (printed) and summary.json.

    python3 Benchmarks/gpu/summarize.py WORK

WORK holds steps.tsv (step, exit, seconds, note), versions.json, runs/<step>/<target>/<run-id>/run.json
and do_bench_vs_assay.json, each where its step produced it. Kept under ~9 kB so that the last screenful
or two of run.sh's output (a CI log's tail) holds all of it.
"""

import collections
import glob
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # Benchmarks/
from bench_common import record_number as num  # noqa: E402

MAX_LISTED = 20


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def latest_record(work, step):
    paths = sorted(p for p in glob.glob(os.path.join(work, "runs", step, "*", "*", "run.json"))
                   if os.path.basename(os.path.dirname(p)) != "latest")
    return (paths[-1], load(paths[-1])) if paths else (None, None)


def clip(text, n):
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def duration(ns):
    ns = num(ns)
    if not math.isfinite(ns):
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return "%.3g %s" % (ns / scale, unit)
    return "%.3g ns" % ns


def rng(interval, digits=0):
    if not interval:
        return "-"
    lo, hi = num(interval.get("min")), num(interval.get("max"))
    return "%.*f-%.*f" % (digits, lo, digits, hi)


def run_header(record):
    counts = collections.Counter(c["outcome"] for c in record.get("cases", []))
    planned = len(record.get("plannedCases", []))
    return "%d/%d cases (%s), status %s" % (
        len(record.get("cases", [])), planned, ", ".join("%d %s" % (n, o) for o, n in counts.most_common()),
        record.get("status"))


def conformance(record, lines, data):
    lines.append("conformance: " + run_header(record))
    bad, grouped = [], collections.Counter()
    for c in record.get("cases", []):
        if c["outcome"] in ("pass",):
            continue
        if c["outcome"] in ("unsupported", "waived"):
            grouped[(c["outcome"], c.get("op"), c.get("dtype"))] += 1
            continue
        ev = c.get("evidence") or {}
        detail = c.get("message") or ""
        if ev and not detail:
            detail = "maxAbs %s maxRel %s mismatches %s" % (ev.get("maxAbsError"), ev.get("maxRelError"), ev.get("mismatches"))
        bad.append({"id": c["id"], "outcome": c["outcome"], "detail": detail})
    for item in bad[:MAX_LISTED]:
        lines.append("  %-7s %s  %s" % (item["outcome"], item["id"], clip(item["detail"], 90)))
    if len(bad) > MAX_LISTED:
        lines.append("  … and %d more failing cases (summary.json)" % (len(bad) - MAX_LISTED))
    if grouped:
        lines.append("  " + clip("; ".join("%s %s/%s ×%d" % (o, op, dt, n) for (o, op, dt), n in sorted(grouped.items())), 400))
    data["conformance"] = {"header": run_header(record), "not_passed": bad,
                           "grouped": [{"outcome": o, "op": op, "dtype": dt, "count": n}
                                       for (o, op, dt), n in sorted(grouped.items())]}


def system(record, lines, data):
    lines.append("system: " + run_header(record))
    rows = []
    for c in record.get("cases", []):
        s = c.get("system") or {}
        name = c["id"].split("/")[2] if c["id"].count("/") >= 2 else c["id"]
        rows.append({"check": name, "outcome": c["outcome"], "expected": s.get("expected"),
                     "observed": s.get("observed"), "message": c.get("message")})
        text = "expected %s; observed %s" % (s.get("expected"), s.get("observed")) if s else (c.get("message") or "")
        lines.append("  %-5s %-16s %s" % (c["outcome"][:5], name, clip(text, 100)))
    data["system"] = rows


def performance(record, lines, data, peaks):
    lines.append("performance: " + run_header(record))
    lines.append("  %-44s %9s %12s %6s %7s %-9s %-11s %s" % ("case", "median", "rate", "%peak", "CI±%", "stop",
                                                           "SM MHz", "power W"))
    rows = []
    for c in record.get("cases", []):
        p = c.get("performance")
        short = "/".join(c["id"].split("/")[1:])
        if not p:
            lines.append("  %-44s %s %s" % (clip(short, 44), c["outcome"], clip(c.get("message"), 70)))
            rows.append({"id": c["id"], "outcome": c["outcome"], "message": c.get("message")})
            continue
        s = p.get("summary") or {}
        compute = p.get("bound") == "compute"
        rate = (num(p.get("flopsPerSecond")) / 1e12, "TFLOP/s") if compute else (num(p.get("bytesPerSecond")) / 1e9, "GB/s")
        tele = p.get("telemetry") or {}
        stop = "conv" if p.get("converged") else clip(p.get("stopReason"), 9)
        lines.append("  %-44s %9s %7.4g %-4s %6.1f %7.2f %-9s %-11s %s" % (
            clip(short, 44), duration(s.get("median")), rate[0], "TF/s" if compute else "GB/s",
            num(p.get("percentOfPeak")), 100 * num(s.get("medianCIRelativeHalfWidth")), stop,
            rng(tele.get("smClockMHz")), rng(tele.get("powerWatts"))))
        rows.append({"id": c["id"], "outcome": c["outcome"], "median_ns": s.get("median"),
                     "ci_ns": [s.get("medianCILow"), s.get("medianCIHigh")], "rate": rate[0], "unit": rate[1],
                     "percent_of_peak": p.get("percentOfPeak"), "bound": p.get("bound"),
                     "converged": p.get("converged"), "stop_reason": p.get("stopReason"), "n": p.get("n"),
                     "telemetry": tele, "limited": p.get("limited"), "limit_reason": p.get("limitReason")})
    data["performance"] = rows


def main(work):
    lines, data = [], {}
    steps = []
    try:
        with open(os.path.join(work, "steps.tsv")) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    steps.append({"step": parts[0], "exit": parts[1], "seconds": parts[2],
                                  "note": parts[3] if len(parts) > 3 else ""})
    except OSError:
        pass
    data["steps"] = steps
    versions = load(os.path.join(work, "versions.json")) or {}
    data["versions"] = versions
    mode = versions.get("mode", "?")
    lines.append("==== Assay GPU run summary (%s) ====" % mode)
    lines.append("machine: %s | driver %s | torch %s (cuda %s) | triton %s | %s" % (
        versions.get("device_name", "?"), versions.get("driver", "?"), versions.get("torch", "?"),
        versions.get("torch_cuda", "?"), versions.get("triton", "?"), versions.get("assay_version", "assay ?")))
    lines.append("steps: " + "; ".join("%s %s %ss%s" % (s["step"], "SKIPPED" if s["exit"] == "skipped" else "exit " + s["exit"],
                                                        s["seconds"], (" (" + s["note"] + ")") if s["note"] else "")
                                       for s in steps))
    for step, fn in (("conformance", conformance), ("system", system), ("performance", performance)):
        path, record = latest_record(work, step)
        if record is None:
            lines.append("%s: no run record" % step)
            continue
        if step == "performance":
            fn(record, lines, data, None)
        else:
            fn(record, lines, data)
        data.setdefault("run_records", {})[step] = os.path.relpath(path, work)
    bench = load(os.path.join(work, "do_bench_vs_assay.json"))
    if bench:
        cfg = bench.get("config", {})
        lines.append("do_bench vs assay: %s %s^3 on %s, %s rounds (%s)" % (
            cfg.get("dtype"), cfg.get("size"), cfg.get("device_name"), cfg.get("rounds_run"), cfg.get("peer_how")))
        lines.extend("  " + t for t in bench.get("table", []))
        lines.extend(bench.get("verdict", {}).get("lines", []))
        data["do_bench_vs_assay"] = bench.get("verdict")
    else:
        lines.append("do_bench vs assay: no result")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(work, "SUMMARY.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(work, "summary.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True, default=str)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
