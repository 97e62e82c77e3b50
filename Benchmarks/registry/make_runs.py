"""Registry benchmark inputs: copies of one real run record (the template, e.g. a smoke run of
local-cpu) as many targets × runs, each with its own target id, run id, start time, driver
version and performance medians, and with its conformance cases repeated (under suite ids
c0, c1, …) up to --cases. Usage: make_runs.py TEMPLATE_RUN_JSON OUT --targets N --runs M --cases K"""
import argparse
import copy
import datetime
import hashlib
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("template")
parser.add_argument("out")
parser.add_argument("--targets", type=int, default=1)
parser.add_argument("--runs", type=int, default=1)
parser.add_argument("--cases", type=int, default=741, help="conformance cases per run")
args = parser.parse_args()

template = json.load(open(args.template))
conformance = [c for c in template["cases"] if c["kind"] == "conformance"]
performance = [c for c in template["cases"] if c["kind"] == "performance"]
cases = []
for index in range(args.cases):
    case = copy.deepcopy(conformance[index % len(conformance)])
    parts = case["id"].split("/")
    parts[0] = "c%d" % (index // len(conformance))
    case["id"] = "/".join(parts)
    cases.append(case)
start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
for t in range(args.targets):
    target_id = "bench-%03d" % t
    for r in range(args.runs):
        record = copy.deepcopy(template)
        record["cases"] = cases + copy.deepcopy(performance)
        for case in record["cases"][len(cases):]:
            perf = case.get("performance") or {}
            scale = 1 + 0.01 * ((r * 7 + t) % 5)  # a few percent of drift between runs
            perf["samples"] = [s * scale for s in perf.get("samples", [])]
            summary = perf.get("summary") or {}
            for key in ("median", "medianCILow", "medianCIHigh", "p5", "p25", "p75", "p95", "p99", "min", "max", "mean"):
                if isinstance(summary.get(key), (int, float)):
                    summary[key] *= scale
        record["plannedCases"] = [c["id"] for c in record["cases"]]
        driver = "%d.%d" % (1 + r // 8, r % 8)
        text = record["target"]["text"]
        lines = [("id: %s" % target_id) if l.startswith("id:") else l for l in text.splitlines()]
        text = "\n".join(lines) + "\n" + "versions: {driver: \"%s\", sdk: \"%d.0\"}\n" % (driver, 3 + r // 10)
        record["target"]["text"] = text
        record["target"]["sha256"] = hashlib.sha256(text.encode()).hexdigest()
        record["target"]["value"]["id"] = target_id
        record["target"]["value"]["vendor"] = ["Vendor A", "Vendor B", "Vendor C"][t % 3]
        record["target"]["value"]["versions"] = {"driver": driver, "sdk": "%d.0" % (3 + r // 10)}
        began = start + datetime.timedelta(days=r, minutes=t)
        record["startedAt"] = began.strftime("%Y-%m-%dT%H:%M:%SZ")
        record["finishedAt"] = (began + datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        record["runID"] = began.strftime("%Y%m%dT%H%M%SZ") + "-%04d%04d" % (t, r)
        record.pop("journal", None)
        folder = os.path.join(args.out, target_id, record["runID"])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "run.json"), "w") as f:
            json.dump(record, f, sort_keys=True)
print("%d runs of %d cases under %s" % (args.targets * args.runs, len(cases) + len(performance), args.out))
