#!/usr/bin/env bash
# Registry benchmark (issue 20), not a timed test: on SQLite and on PostgreSQL,
#  1. ingest of one run of a 741-case conformance suite (plus its performance cases);
#  2. ingest of 50 targets × 20 runs, then `assay registry site` over them.
# Inputs are copies of one real run record (make_runs.py); by default a smoke run of local-cpu
# made here. Usage: bash Benchmarks/registry/bench.sh [TEMPLATE_RUN_JSON]
#   ASSAY=path     the assay to time (default .build/release/assay, built with --traits PostgreSQL)
#   CASES=741 TARGETS=50 RUNS=20 LAB_CASES=141   sizes (the 50 × 20 lab runs have LAB_CASES cases)
set -euo pipefail
cd "$(dirname "$0")/../.."
assay=${ASSAY:-}
if [ -z "$assay" ]; then
  swift build -c release --traits PostgreSQL --product assay >/dev/null
  assay=.build/release/assay
fi
cases=${CASES:-741} targets=${TARGETS:-50} runs=${RUNS:-20} lab_cases=${LAB_CASES:-141}
work=$(mktemp -d)
trap 'Scripts/postgres-test-server.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
template=${1:-}
if [ -z "$template" ]; then
  (cd "$work" && "$OLDPWD/$assay" run --target local-cpu --suite smoke --quiet --no-reports >/dev/null || true)
  template=$(ls "$work"/Reports/local-cpu/*/run.json | head -1)
fi
python3 Benchmarks/registry/make_runs.py "$template" "$work/one" --cases "$cases"
python3 Benchmarks/registry/make_runs.py "$template" "$work/lab" --targets "$targets" --runs "$runs" --cases "$lab_cases"

seconds() { python3 -c 'import sys, time; print("%.2f" % (time.time() - float(sys.argv[1])))' "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

bench() {  # bench ENGINE DB
  local engine=$1 db=$2 start
  echo "== $engine"
  start=$(now); "$assay" registry list --db "$db" >/dev/null
  echo "process start, open and migrate (registry list of an empty registry): $(seconds "$start") s"
  start=$(now); "$assay" registry ingest "$work/one" --db "$db" >/dev/null
  echo "ingest, 1 run of $((cases + 2)) cases: $(seconds "$start") s (process start included)"
  start=$(now); "$assay" registry ingest "$work/one" --db "$db" >/dev/null
  echo "ingest of the same run again (unchanged): $(seconds "$start") s"
  start=$(now); "$assay" registry ingest "$work/lab" --db "$db" >/dev/null
  local total; total=$(seconds "$start")
  echo "ingest, $targets targets × $runs runs of $((lab_cases + 2)) cases, one process: $total s ($(python3 -c "print('%.3f' % ($total / ($targets * $runs)))") s per run)"
  start=$(now); "$assay" registry site --db "$db" --out "$work/site-$engine" >/dev/null
  echo "site, $targets targets × $runs runs: $(seconds "$start") s ($(find "$work/site-$engine" -type f | wc -l) files)"
}

bench sqlite "$work/registry.sqlite"
if url=$(Scripts/postgres-test-server.sh start "$work/pg" 2>/dev/null); then
  psql "$url" -qc "CREATE DATABASE bench" >/dev/null
  bench postgresql "${url/@\/postgres?/@\/bench?}"
else
  echo "== postgresql: skipped (Scripts/postgres-test-server.sh could not start a server)"
fi
echo "(machine: $(nproc) cores, $(uname -m); load average $(cut -d' ' -f1-3 /proc/loadavg))"
