#!/bin/sh
# Protocol overhead of the Assay Backend Protocol (docs/PROTOCOL.md, "Harness side"), in one
# run, side by side and interleaved: the plugin with feature shm agreed, a second instance kept
# on the pipe, a raw pipe to a minimal Python echo process, and two plain memory copies.
#   * round trip of a tiny `execute` (copy of one f32) — goal: median <= 50 µs;
#   * throughput of a 64 MiB `copy` (bytes sent + bytes received) — goal: >= 5 GB/s through shm.
# Usage: Benchmarks/protocol/run.sh [PLUGIN CMD...]   (default: the numpy backend)
# Env: ASSAY (binary; default .build/release/assay, built if missing), BYTES, ROUND_TRIPS, REPEATS.
set -eu
cd "$(dirname "$0")/../.."
ASSAY=${ASSAY:-.build/release/assay}
if [ ! -x "$ASSAY" ]; then swift build -c release --product assay; fi
[ $# -gt 0 ] || set -- python3 Backends/python/numpy_backend.py
exec "$ASSAY" plugin bench --bytes "${BYTES:-67108864}" --round-trips "${ROUND_TRIPS:-2000}" --repeats "${REPEATS:-10}" -- "$@"
