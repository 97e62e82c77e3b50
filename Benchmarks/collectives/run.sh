#!/usr/bin/env bash
# all_reduce bus bandwidth at 1 MiB, 16 MiB and 256 MiB on 2 ranks over loopback, side by side in one
# run: through Assay's numpy reference backend (Targets/numpy-2rank.yaml), through the same ring
# algorithm timed directly in Python (direct.py: no harness), and through Assay's torch backend with
# torch.distributed gloo when torch imports. Two rounds, each Assay then direct, so drift on a shared
# machine shows as disagreement between rounds. Usage: bash Benchmarks/collectives/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
assay=${ASSAY:-.build/release/assay}
[ -x "$assay" ] || { swift build -c release >/dev/null; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sizes="1048576 16777216 268435456"
for round in 1 2; do
  echo "== round $round: all_reduce f32, 2 ranks, bus bandwidth (nccl-tests factor 2(n-1)/n)"
  $assay run --target Targets/numpy-2rank.yaml --suite Benchmarks/collectives/all-reduce.yaml --out "$out" --quiet --no-reports >/dev/null || true
  python3 Benchmarks/collectives/direct.py 2 $sizes > "$out/direct.jsonl"
  torch_json=()
  if python3 -c "import torch" 2>/dev/null; then
    $assay run --target Benchmarks/collectives/torch-gloo-2rank.yaml --suite Benchmarks/collectives/all-reduce.yaml --out "$out" --quiet --no-reports >/dev/null || true
    torch_json=("$out/torch-gloo-2rank/latest/run.json")
  fi
  python3 Benchmarks/collectives/report.py "$out/numpy-2rank/latest/run.json" "$out/direct.jsonl" "${torch_json[@]}"
done
