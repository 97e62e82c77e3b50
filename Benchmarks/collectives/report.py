"""Prints all_reduce bus bandwidth side by side: Assay's numpy backend (run.json), the same ring timed
directly (direct.py's JSON lines), and Assay's torch gloo backend (run.json, when given).
Usage: python3 report.py NUMPY_RUN_JSON DIRECT_JSONL [TORCH_RUN_JSON]"""
import json
import sys


def assay_figures(path):
    with open(path) as handle:
        record = json.load(handle)
    return {case["collective"]["bytes"]: case["collective"].get("busGBs") for case in record["cases"]
            if case.get("collective") and case["outcome"] == "pass"}


numpy = assay_figures(sys.argv[1])
direct = {}
with open(sys.argv[2]) as handle:
    for line in handle:
        row = json.loads(line)
        direct[row["bytes"]] = row["bus_gbs"]
torch = assay_figures(sys.argv[3]) if len(sys.argv) > 3 else {}
print("%-10s %16s %16s %9s %16s" % ("size", "assay numpy GB/s", "direct ring GB/s", "assay/dir", "assay gloo GB/s"))
for nbytes in sorted(direct):
    a, d, t = numpy.get(nbytes), direct[nbytes], torch.get(nbytes)
    ratio = "%+.1f%%" % ((a / d - 1) * 100) if a and d else "-"
    print("%-10s %16s %16.3f %9s %16s" % ("%d MiB" % (nbytes >> 20), "%.3f" % a if a else "-", d, ratio, "%.3f" % t if t else "-"))
