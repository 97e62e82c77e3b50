#!/usr/bin/env bash
# all_reduce bus bandwidth at 1 MiB, 16 MiB and 256 MiB on 2 ranks over loopback, side by side in one
# table: through Assay's numpy reference backend (Targets/numpy-2rank.yaml), through the same ring
# timed directly in Python (direct.py: no harness, fresh rank processes, the same pattern, buffers,
# timing loop and statistic, with the k, sample count and warm-up calls of the latest Assay run,
# the samples taken in Assay's batches; and once more in one uninterrupted loop), and through
# Assay's torch backend with torch.distributed gloo when torch imports.
# REPEATS rounds (default 3), interleaved so a slow minute on a shared machine hits every column,
# the order reversed every other round (Assay first, then last); the table gives the medians and
# the median of the per-round Assay/direct ratios with their range. The harness times nothing
# itself: each rank's plugin times its calls, so the Swift build (debug or release) does not
# change the figures. About 2 minutes a round on 2 cores.
# Usage: REPEATS=3 bash Benchmarks/collectives/run.sh      (ASSAY=path/to/assay to skip the build;
#        KEEP=DIR keeps the run records and direct.py lines of every round in DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
assay=${ASSAY:-.build/release/assay}
[ -x "$assay" ] || { swift build -c release >/dev/null; }
repeats=${REPEATS:-3}
out=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp -r "$out" "$KEEP"; rm -rf "$out"' EXIT
have_torch=0
python3 -c "import torch" 2>/dev/null && have_torch=1
suite=Benchmarks/collectives/all-reduce.yaml
bench=Benchmarks/collectives

assay_numpy() {
  "$assay" run --target Targets/numpy-2rank.yaml --suite $suite --out "$out/runs" --quiet --no-reports >/dev/null || true
  cp "$out/runs/numpy-2rank/latest/run.json" "$out/numpy-$1.json"
  python3 $bench/report.py plan "$out/numpy-$1.json" > "$out/plan"
}
direct() {
  # shellcheck disable=SC2046
  python3 $bench/direct.py --batches sampler 2 $(cat "$out/plan") > "$out/direct-$1.jsonl"
  # shellcheck disable=SC2046
  python3 $bench/direct.py --batches one 2 $(cat "$out/plan") > "$out/one-$1.jsonl"
}
gloo() {
  [ "$have_torch" = 1 ] || return 0
  "$assay" run --target $bench/torch-gloo-2rank.yaml --suite $suite --out "$out/runs" --quiet --no-reports >/dev/null || true
  cp "$out/runs/torch-gloo-2rank/latest/run.json" "$out/torch-$1.json"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $assay; torch $([ $have_torch = 1 ] && echo yes || echo no)"
for round in $(seq 1 "$repeats"); do
  if [ $((round % 2)) = 1 ]; then
    assay_numpy "$round"; direct "$round"; gloo "$round"
  else  # the plan of the previous round's Assay run
    gloo "$round"; direct "$round"; assay_numpy "$round"
  fi
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
python3 $bench/report.py table "$out" "$repeats"
