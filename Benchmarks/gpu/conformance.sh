#!/usr/bin/env bash
# Conformance of the Python reference backends on a CUDA machine, with the staged kit.
# Usage: bash Benchmarks/gpu/conformance.sh OUTDIR [TARGET...]
#        (default targets: torch-cpu nvidia-h100 jax-cpu; each runs if its framework imports)
#
# Stage first on a machine with Swift (bash Benchmarks/gpu/stage.sh), copy the repository with
# .gpu-kit/ to the CUDA machine, then run this there. For each target it runs
# `assay run --suite conformance`, prints the outcome counts and every non-pass case id with its
# message, and writes OUTDIR/conformance-summary.txt and OUTDIR/conformance-runs.tar.gz
# (run.json, journal.jsonl and plugin.stderr.log of every run). Each target gets at most
# ASSAY_CONF_TARGET_S seconds (default 240; then SIGINT, so its record says interrupted and
# `assay run --resume` continues it). Exit 0 when every target ran.
set -uo pipefail
cd "$(dirname "$0")/../.."
# The kit carries the system SQLite the registry links (stage.sh), for machines without one.
export LD_LIBRARY_PATH="$PWD/.gpu-kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
outdir=${1:-}
[ -n "$outdir" ] || { echo "conformance.sh: give an output folder" >&2; exit 2; }
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(torch-cpu nvidia-h100 jax-cpu)
mkdir -p "$outdir" && outdir=$(cd "$outdir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-conf.XXXXXX")
bin=${ASSAY_BIN:-$work/assay}
if [ -z "${ASSAY_BIN:-}" ]; then
  if command -v xz >/dev/null; then xz -dc .gpu-kit/assay.xz >"$bin"
  else python3 -c 'import lzma,sys; sys.stdout.buffer.write(lzma.open(".gpu-kit/assay.xz").read())' >"$bin"; fi
  chmod +x "$bin"
fi
export PYTHONUNBUFFERED=1
summary=$outdir/conformance-summary.txt
: >"$summary"
status=0
for target in "${targets[@]}"; do
  module=torch; case "$target" in jax*) module=jax ;; esac
  if ! python3 -c "import $module" 2>/dev/null; then
    echo "== $target: skipped ($module is not importable)" | tee -a "$summary"; continue
  fi
  echo "== $target" | tee -a "$summary"
  start=$SECONDS
  timeout --signal=INT --kill-after=10 "${ASSAY_CONF_TARGET_S:-240}" \
    "$bin" run --target "$target" --suite conformance --out "$work/runs" --quiet --no-reports >"$work/$target.log" 2>&1
  rc=$?
  echo "   exit $rc in $((SECONDS - start)) s" | tee -a "$summary"
  [ "$rc" -le 1 ] || [ "$rc" -eq 130 ] || status=3
  python3 - "$work/runs/$target/latest/run.json" <<'EOF' | tee -a "$summary"
import collections, json, sys
try:
    record = json.load(open(sys.argv[1]))
except OSError as error:
    print("   no run record:", error); sys.exit(0)
counts = collections.Counter(case["outcome"] for case in record["cases"])
backend = record["backend"]
print("   backend %s %s; %d/%d cases: %s" % (backend["name"], backend["version"], len(record["cases"]),
      len(record["plannedCases"]), ", ".join("%d %s" % (n, o) for o, n in sorted(counts.items()))))
for case in record["cases"]:
    if case["outcome"] != "pass":
        print("   %-11s %s: %s" % (case["outcome"], case["id"], (case.get("message") or "")[:240]))
EOF
done
tar czf "$outdir/conformance-runs.tar.gz" -C "$work" runs $(cd "$work" && ls *.log 2>/dev/null) 2>/dev/null
exit $status
