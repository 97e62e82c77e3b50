#!/usr/bin/env bash
# The one command for the GPU machine (CUDA, PyTorch, Triton, numpy, nvidia-ml-py; no Swift).
# Usage: bash Benchmarks/gpu/run.sh [OUTDIR] [--dry-run-cpu]        (OUTDIR defaults to $OUT)
#
# Stage first, on a machine with Swift: bash Benchmarks/gpu/stage.sh  (writes .gpu-kit/assay.xz);
# copy the repository together with .gpu-kit/ to the GPU machine. Steps, each under its own time cap, each run whatever happened before it:
#   kit          unpack .gpu-kit/assay.xz (or use $ASSAY_BIN / .gpu-kit/assay / .build/release/assay)
#   env          nvidia-smi -q, versions.py (python, torch, CUDA, Triton, NVML, device), assay --version
#   preflight    assay targets validate + suites show: catches a binary older than the tree's YAML
#   conformance  assay run --target Targets/nvidia-h100.yaml --suite conformance
#   system       assay run ... --suite system
#   performance  assay run ... --suite performance --time-cap $ASSAY_GPU_PERF_TIME_CAP (4 s)
#   do_bench     python3 Benchmarks/gpu/do_bench_vs_assay.py (bf16 8192^3, 4 rounds, NVML clocks)
#   after        nvidia-smi -q -d PERFORMANCE,CLOCK,POWER,TEMPERATURE (throttle reasons after the load)
# then prints SUMMARY.txt. The whole run stays within $ASSAY_GPU_BUDGET_S (540 s): a step's cap shrinks
# so the later steps keep their minimum time, and a step that would get < 15 s is skipped.
#
# OUTDIR receives 7 files, all at its top level:
#   run.log  SUMMARY.txt  summary.json  versions.json  nvidia-smi-q.txt  do_bench_vs_assay.json
#   results.tar.gz   (gpu-results/: every run record, report, journal and step log; refreshed after
#                     every step, so a run killed from outside still leaves what it did)
#
# --dry-run-cpu proves the plumbing without a GPU: Targets/torch-cpu.yaml, performance time cap 2 s,
# the comparison at --device cpu --size 512 (time.perf_counter instead of do_bench, no NVML).
# Overrides: ASSAY_BIN, ASSAY_GPU_TARGET, ASSAY_GPU_CONF_SUITE, ASSAY_GPU_SYSTEM_SUITE,
# ASSAY_GPU_PERF_SUITE, ASSAY_GPU_PERF_TIME_CAP, ASSAY_GPU_ROUNDS, ASSAY_GPU_SIZE, ASSAY_GPU_BUDGET_S.
# Exit: 0 when every step ran (assay's exit 1, "a case failed", counts as ran); 3 otherwise; 2 usage.
set -uo pipefail
cd "$(dirname "$0")/../.."
# The kit carries the system SQLite the registry links (stage.sh), for machines without one.
export LD_LIBRARY_PATH="$PWD/.gpu-kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
root=$PWD

outdir="" dry=0
for arg in "$@"; do
  case "$arg" in
    --dry-run-cpu) dry=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option '$arg'" >&2; exit 2 ;;
    *) [ -z "$outdir" ] || { echo "run.sh: one output folder only" >&2; exit 2; }; outdir=$arg ;;
  esac
done
outdir=${outdir:-${OUT:-}}
[ -n "$outdir" ] || { echo "run.sh: no output folder: pass one or set OUT" >&2; exit 2; }
mkdir -p "$outdir" && outdir=$(cd "$outdir" && pwd) || { echo "run.sh: cannot create $outdir" >&2; exit 2; }

if [ "$dry" = 1 ]; then
  mode="dry-run-cpu"
  target=${ASSAY_GPU_TARGET:-Targets/torch-cpu.yaml}
  perf_cap=${ASSAY_GPU_PERF_TIME_CAP:-2}
  bench_args=(--device cpu --size "${ASSAY_GPU_SIZE:-512}" --rounds "${ASSAY_GPU_ROUNDS:-4}" --rep-ms 300 --time-cap 2)
else
  mode="gpu"
  target=${ASSAY_GPU_TARGET:-Targets/nvidia-h100.yaml}
  perf_cap=${ASSAY_GPU_PERF_TIME_CAP:-4}
  bench_args=(--device cuda --size "${ASSAY_GPU_SIZE:-8192}" --rounds "${ASSAY_GPU_ROUNDS:-4}")
fi
conf_suite=${ASSAY_GPU_CONF_SUITE:-conformance}
system_suite=${ASSAY_GPU_SYSTEM_SUITE:-system}
perf_suite=${ASSAY_GPU_PERF_SUITE:-performance}
budget=${ASSAY_GPU_BUDGET_S:-540}
export PYTHONUNBUFFERED=1

scratch=$(mktemp -d "${TMPDIR:-/tmp}/assay-gpu.XXXXXX")
work=$scratch/gpu-results
mkdir -p "$work/logs" "$work/runs"
: >"$work/steps.tsv"
rm -f "$outdir"/{run.log,SUMMARY.txt,summary.json,versions.json,nvidia-smi-q.txt,do_bench_vs_assay.json,results.tar.gz}

exec 3>&1 4>&2
exec > >(tee -a "$outdir/run.log") 2>&1
tee_pid=$!
start=$SECONDS
echo "== Benchmarks/gpu/run.sh ($mode) $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname 2>/dev/null || echo ?)"
echo "   target $target; suites $conf_suite, $system_suite, $perf_suite (time cap ${perf_cap}s); budget ${budget}s; out $outdir"

# ---------------------------------------------------------------- helpers
descendants() {  # every live descendant pid of $1
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$p"; descendants "$p"; done
}

capped() {  # capped SECONDS LOG cmd...: SIGTERM past the cap (assay then records the run as
  # interrupted and stops its plugin), SIGKILL 20 s later, and SIGKILL for any descendant still
  # alive with the command line it had (the plugin runs in its own process group).
  local cap=$1 log=$2; shift 2
  "$@" >>"$log" 2>&1 </dev/null &
  local pid=$! waited=0 p
  declare -A seen=()
  while kill -0 "$pid" 2>/dev/null; do
    for p in $(descendants "$pid"); do
      [ -n "${seen[$p]:-}" ] || seen[$p]=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")
    done
    if [ "$waited" -ge "$cap" ]; then
      echo "[run.sh: cap of ${cap}s reached: SIGTERM]" >>"$log"
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -KILL "$pid" 2>/dev/null
      for p in "${!seen[@]}"; do
        if [ -n "${seen[$p]}" ] && [ "$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")" = "${seen[$p]}" ]; then
          kill -KILL "$p" 2>/dev/null
        fi
      done
      wait "$pid" 2>/dev/null
      return 124
    fi
    sleep 1
    waited=$((waited + 1))
  done
  wait "$pid"
}

pack() {  # refresh OUTDIR's copies and results.tar.gz (≤ 15 MiB: drop HTML and journals if larger)
  local f
  for f in versions.json nvidia-smi-q.txt do_bench_vs_assay.json SUMMARY.txt summary.json; do
    [ -f "$work/$f" ] && cp -f "$work/$f" "$outdir/$f"
  done
  tar -C "$scratch" -czf "$scratch/results.tar.gz" gpu-results 2>/dev/null
  if [ "$(stat -c %s "$scratch/results.tar.gz" 2>/dev/null || echo 0)" -gt $((15 << 20)) ]; then
    tar -C "$scratch" -czf "$scratch/results.tar.gz" --exclude='*.html' --exclude='journal.jsonl' gpu-results 2>/dev/null
  fi
  cp -f "$scratch/results.tar.gz" "$outdir/results.tar.gz.part" && mv -f "$outdir/results.tar.gz.part" "$outdir/results.tar.gz"
}

ran_all=1
step() {  # step NAME CAP RESERVE_FOR_LATER_STEPS cmd...
  local name=$1 cap=$2 reserve=$3; shift 3
  local left=$((budget - (SECONDS - start) - reserve))
  [ "$left" -lt "$cap" ] && cap=$left
  if [ "$cap" -lt 15 ]; then
    echo "== [$((SECONDS - start))s] $name: SKIPPED (budget: ${left}s left after reserving ${reserve}s)"
    printf '%s\tskipped\t0\tbudget\n' "$name" >>"$work/steps.tsv"
    ran_all=0
    return
  fi
  echo "== [$((SECONDS - start))s] $name (cap ${cap}s)"
  local t0=$SECONDS rc
  capped "$cap" "$work/logs/$name.log" "$@"
  rc=$?
  local note=""
  [ "$rc" -eq 124 ] && note="cap ${cap}s reached"
  case "$rc" in 0|1) ;; *) ran_all=0 ;; esac
  tail -n 4 "$work/logs/$name.log" | cut -c1-200 | sed 's/^/   | /'
  echo "   -> exit $rc in $((SECONDS - t0))s${note:+ ($note)}"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - t0))" "$note" >>"$work/steps.tsv"
  pack
}

# ---------------------------------------------------------------- steps
assay=""
kit_step() {
  if [ -n "${ASSAY_BIN:-}" ]; then
    assay_path=$ASSAY_BIN
  elif [ -x .gpu-kit/assay ]; then
    assay_path=$root/.gpu-kit/assay
  elif [ -f .gpu-kit/assay.xz ]; then
    assay_path=$scratch/assay
    if command -v xz >/dev/null; then
      xz -dc .gpu-kit/assay.xz >"$assay_path" || return 2
    else
      python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
        .gpu-kit/assay.xz "$assay_path" || return 2
    fi
    chmod +x "$assay_path"
    if [ -f .gpu-kit/assay.sha256 ]; then
      [ "$(sha256sum "$assay_path" | cut -d' ' -f1)" = "$(cut -d' ' -f1 .gpu-kit/assay.sha256)" ] \
        || { echo "unpacked binary does not match .gpu-kit/assay.sha256"; return 2; }
    fi
  elif [ -x .build/release/assay ]; then
    assay_path=$root/.build/release/assay
    echo "note: no .gpu-kit; using .build/release/assay (needs Swift's libraries)"
  else
    echo "no assay binary: run bash Benchmarks/gpu/stage.sh where Swift is, and copy .gpu-kit/ here"
    return 2
  fi
  [ -f .gpu-kit/BUILD-INFO.txt ] && cat .gpu-kit/BUILD-INFO.txt
  ldd "$assay_path" 2>&1 || true
  "$assay_path" --version || { echo "$assay_path does not run here"; return 2; }
  echo "$assay_path" >"$scratch/assay-path"
}
step kit 60 0 kit_step
[ -s "$scratch/assay-path" ] && assay=$(cat "$scratch/assay-path")
assay_version=$([ -n "$assay" ] && "$assay" --version 2>/dev/null || echo "none")

env_step() {
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi -q >"$work/nvidia-smi-q.txt" 2>&1 || echo "(nvidia-smi -q exited $?)" >>"$work/nvidia-smi-q.txt"
    nvidia-smi 2>&1 || true
  else
    echo "nvidia-smi: not found on PATH ($(uname -n), mode $mode)" | tee "$work/nvidia-smi-q.txt"
  fi
  python3 Benchmarks/gpu/versions.py "$mode" "assay $assay_version" >"$work/versions.json"
  cat "$work/versions.json"
  uname -a; nproc; free -g 2>/dev/null | head -2
}
step env 60 0 env_step

# A runs assay in place of the step's subshell (exec), so the cap's SIGTERM reaches assay itself.
A() { if [ -n "$assay" ]; then exec "$assay" "$@"; else echo "no assay binary (see the kit step)"; return 127; fi; }

preflight_step() {
  local rc=0 s
  [ -n "$assay" ] || { echo "no assay binary (see the kit step)"; return 127; }
  "$assay" targets validate "$target" || rc=$?
  for s in "$conf_suite" "$system_suite" "$perf_suite" Benchmarks/gpu/gpu-matmul.yaml; do
    if "$assay" suites show "$s" >"$scratch/suite-show.txt" 2>&1; then
      echo "suite $s: $(wc -l <"$scratch/suite-show.txt") lines from suites show"
    else
      rc=2; cat "$scratch/suite-show.txt"
      echo "suite $s: rejected by this binary (built before the YAML changed? re-run stage.sh)"
    fi
  done
  return "$rc"
}
step preflight 30 0 preflight_step

step conformance 150 240 A run --target "$target" --suite "$conf_suite" --out "$work/runs/conformance"
step system 60 210 A run --target "$target" --suite "$system_suite" --out "$work/runs/system"
step performance 170 110 A run --target "$target" --suite "$perf_suite" --time-cap "$perf_cap" --out "$work/runs/performance"

bench_left=$((budget - (SECONDS - start) - 15))
[ "$bench_left" -gt 150 ] && bench_left=150
step do_bench "$bench_left" 15 python3 Benchmarks/gpu/do_bench_vs_assay.py --assay "${assay:-/nonexistent}" \
  --target "$target" --out "$work" --deadline-s "$((bench_left > 40 ? bench_left - 20 : 20))" "${bench_args[@]}"

after_step() {
  if command -v nvidia-smi >/dev/null; then nvidia-smi -q -d PERFORMANCE,CLOCK,POWER,TEMPERATURE; else echo "nvidia-smi: not found"; fi
}
step after 15 0 after_step

python3 Benchmarks/gpu/summarize.py "$work" >/dev/null 2>"$work/logs/summarize.log" || echo "summarize.py failed: $(tail -3 "$work/logs/summarize.log")"
pack
echo
[ -f "$work/SUMMARY.txt" ] && cat "$work/SUMMARY.txt"
echo "== done in $((SECONDS - start))s; $outdir: $(cd "$outdir" && ls | tr '\n' ' ')"
rm -rf "$scratch"
exec 1>&3 2>&4 3>&- 4>&-
wait "$tee_pid" 2>/dev/null
[ "$ran_all" = 1 ] && exit 0 || exit 3
