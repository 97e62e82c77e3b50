#!/usr/bin/env bash
# all_reduce bus bandwidth at 1 MiB, 16 MiB and 256 MiB on 2 ranks over loopback, side by side in one
# run: through Assay's numpy reference backend (Targets/numpy-2rank.yaml), through the same ring
# algorithm timed directly in Python (direct.py: no harness, the same processes, pattern and timing
# loop, with the k, sample count and warm-up Assay's sampler chose for the same size), and through
# Assay's torch backend with torch.distributed gloo when torch imports. REPEATS rounds (default 3),
# each Assay numpy, then direct, then gloo, so a slow minute on a shared machine hits all three;
# the table gives every round and the medians. The harness times nothing itself: each rank's plugin
# times its calls, so the Swift build (debug or release) does not change the figures.
# Usage: REPEATS=3 bash Benchmarks/collectives/run.sh      (ASSAY=path/to/assay to skip the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
assay=${ASSAY:-.build/release/assay}
[ -x "$assay" ] || { swift build -c release >/dev/null; }
repeats=${REPEATS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
have_torch=0
python3 -c "import torch" 2>/dev/null && have_torch=1
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
for round in $(seq 1 "$repeats"); do
  $assay run --target Targets/numpy-2rank.yaml --suite Benchmarks/collectives/all-reduce.yaml --out "$out/runs" --quiet --no-reports >/dev/null || true
  cp "$out/runs/numpy-2rank/latest/run.json" "$out/numpy-$round.json"
  # shellcheck disable=SC2046
  python3 Benchmarks/collectives/direct.py 2 $(python3 Benchmarks/collectives/report.py plan "$out/numpy-$round.json") > "$out/direct-$round.jsonl"
  if [ "$have_torch" = 1 ]; then
    $assay run --target Benchmarks/collectives/torch-gloo-2rank.yaml --suite Benchmarks/collectives/all-reduce.yaml --out "$out/runs" --quiet --no-reports >/dev/null || true
    cp "$out/runs/torch-gloo-2rank/latest/run.json" "$out/torch-$round.json"
  fi
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
python3 Benchmarks/collectives/report.py table "$out" "$repeats"
