#!/usr/bin/env bash
# The harness measured against its peers, side by side, in one run. Usage: bash Benchmarks/run.sh
#  1. native CPU backend vs numpy (OpenBLAS): f32 matmul 512/1024/2048, softmax, layer_norm, copy;
#  2. native CPU backend vs PyTorch on the CPU (when torch imports): attention, matmul, add, softmax in f32/bf16/f16;
#  3. agreement: Assay's timing of kernels the numpy plugin runs vs Python's timeit of the same callables;
#  4. decoder-layer prefill tokens/s through the torch plugin's graphs vs the layer in torch eager (when torch imports);
#  5. the plugin protocol's own cost (round trip, transfer) vs a raw pipe, when Benchmarks/protocol exists.
# numpy runs with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset so OpenBLAS uses its best kernel for this CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
assay=.build/release/assay
out=$(mktemp -d)
numpy_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$(nproc)")

# Two rounds, each timing Assay then its peer right after, so drift on a shared machine shows
# up as disagreement between rounds rather than as a bias in one direction.
for round in 1 2; do
  echo "== round $round: native CPU backend vs numpy"
  $assay run --target local-cpu --suite Benchmarks/suites/native-vs-numpy.yaml --out "$out" --quiet --no-reports >/dev/null || true
  "${numpy_env[@]}" python3 Benchmarks/native_vs_numpy.py "$out/local-cpu/latest/run.json"
done

if python3 -c "import torch" 2>/dev/null; then
  echo "== native CPU backend vs PyTorch CPU (same threads)"
  $assay run --target local-cpu --suite Benchmarks/suites/native-vs-torch.yaml --out "$out" --quiet --no-reports >/dev/null || true
  python3 Benchmarks/native_vs_torch.py "$out/local-cpu/latest/run.json" "$(nproc)"
else
  echo "== native CPU backend vs PyTorch CPU: torch not importable, skipped"
fi

if python3 -c "import torch" 2>/dev/null; then
  echo "== decoder-layer prefill: Assay's torch-cpu plugin (benchmark_graph) vs torch eager direct"
  python3 Benchmarks/models/prefill_vs_torch.py --threads "$(nproc)"
fi

echo "== agreement, Assay timing the numpy plugin vs timeit of the same callable (7 bracketed rounds)"
"${numpy_env[@]}" python3 Benchmarks/agreement.py "$assay" "$out" 7

if [ -x Benchmarks/protocol/run.sh ]; then
  echo "== plugin protocol cost"
  bash Benchmarks/protocol/run.sh
fi
rm -rf "$out"
