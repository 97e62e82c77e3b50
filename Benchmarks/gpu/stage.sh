#!/usr/bin/env bash
# Stage the harness for a machine without Swift (the GPU machine of Benchmarks/gpu/run.sh).
# Usage: bash Benchmarks/gpu/stage.sh [--no-verify]
#
#  1. builds a release binary with the Swift runtime and Foundation linked in statically
#     (swift build -c release --static-swift-stdlib), in its own scratch folder (.build-static,
#     git-ignored) so it neither relinks nor locks the shared .build;
#  2. strips it and checks it needs no Swift library (only libc, libm, libstdc++, libgcc_s);
#  3. writes .gpu-kit/assay.xz (the stripped binary, xz-compressed, so the kit stays small to copy),
#     .gpu-kit/assay.sha256 and .gpu-kit/BUILD-INFO.txt, and makes
#     sure .git/info/exclude ignores .gpu-kit/;
#  4. unless --no-verify: unpacks the kit into a temporary folder and runs `assay --version`,
#     `assay --help` and `assay run` (built-in local-cpu target, smoke suite) from it.
# Benchmarks/gpu/run.sh unpacks .gpu-kit/assay.xz itself (xz, or Python's lzma where xz is absent).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
verify=1
for arg in "$@"; do
  case "$arg" in
    --no-verify) verify=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "stage.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
scratch=${ASSAY_STATIC_SCRATCH:-.build-static}
kit=.gpu-kit

echo "== build: swift build -c release --static-swift-stdlib --scratch-path $scratch"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$log" 2>&1; then
    break
  fi
  if grep -qiE "another instance of swiftpm|lock|modified during the build" "$log" && [ "$attempt" -lt 10 ]; then
    echo "   $(grep -iE "another instance of swiftpm|lock|modified during the build" "$log" | head -1 | cut -c1-120)"
    echo "   (a concurrent build or edit); retrying in 30 s (attempt $attempt)"
    sleep 30
    continue
  fi
  tail -40 "$log"
  echo "stage.sh: build failed" >&2
  exit 1
done
bin="$scratch/release/assay"
[ -x "$bin" ] || { echo "stage.sh: $bin missing after the build" >&2; exit 1; }

mkdir -p "$kit"
exclude=$(git rev-parse --git-path info/exclude 2>/dev/null || echo .git/info/exclude)
mkdir -p "$(dirname "$exclude")"
grep -qxF "/$kit/" "$exclude" 2>/dev/null || grep -qxF "$kit/" "$exclude" 2>/dev/null || echo "/$kit/" >>"$exclude"

tmp=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$tmp"' EXIT
cp "$bin" "$tmp/assay"
if command -v strip >/dev/null; then strip "$tmp/assay"; fi

echo "== dynamic dependencies (the C/C++ runtime, and the system SQLite of the registry, which the kit carries)"
deps=$(ldd "$tmp/assay" 2>&1 || true)
echo "$deps" | sed 's/^/   /'
if echo "$deps" | grep -qiE "libswift|libFoundation|libdispatch|libBlocksRuntime|_FoundationICU|not found"; then
  echo "stage.sh: the binary still links a Swift library; it would not run without a Swift toolchain" >&2
  exit 1
fi
glibc=$(objdump -T "$tmp/assay" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 || true)
glibcxx=$(objdump -T "$tmp/assay" 2>/dev/null | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1 || true)

# The registry links the system SQLite; a GPU machine may lack it, so the kit carries this one
# (the kit's scripts put .gpu-kit/lib on LD_LIBRARY_PATH).
rm -rf "$kit/lib" && mkdir -p "$kit/lib"
sqlite=$(echo "$deps" | awk '/libsqlite3/ {print $3}')
[ -n "$sqlite" ] && cp -L "$sqlite" "$kit/lib/"
rm -f "$kit/assay" "$kit/assay.xz"
xz -9 -T2 -c "$tmp/assay" >"$kit/assay.xz"
(cd "$tmp" && sha256sum assay) >"$kit/assay.sha256"
{
  echo "built:      $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "commit:     $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "tree:       $(git status --porcelain -- Sources Package.swift Package.resolved 2>/dev/null | wc -l | tr -d ' ') changed file(s) under Sources/ and Package.* at build time"
  echo "swift:      $(swift --version 2>&1 | head -1)"
  echo "command:    swift build -c release --static-swift-stdlib --scratch-path $scratch; strip; xz -9"
  echo "needs:      ${glibc:-GLIBC ?}, ${glibcxx:-GLIBCXX ?} (libc, libm, libstdc++, libgcc_s)"
  echo "sha256:     $(cut -d' ' -f1 "$kit/assay.sha256")"
  echo "bytes:      unstripped $(stat -c %s "$bin"), stripped $(stat -c %s "$tmp/assay"), xz $(stat -c %s "$kit/assay.xz")"
} >"$kit/BUILD-INFO.txt"

echo "== kit"
sed 's/^/   /' "$kit/BUILD-INFO.txt"
kit_bytes=$(du -sb "$kit" | cut -f1)
tree_bytes=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1 || echo 0)
printf '   size:       %s (.gpu-kit) + %s (tracked and untracked files of the tree) = %s to copy to the GPU machine\n' \
  "$(numfmt --to=iec "$kit_bytes")" "$(numfmt --to=iec "${tree_bytes:-0}")" "$(numfmt --to=iec $((kit_bytes + ${tree_bytes:-0})))"

if [ "$verify" = 1 ]; then
  echo "== verify the staged binary (unpacked from $kit/assay.xz, no Swift library path)"
  xz -dc "$kit/assay.xz" >"$tmp/check" && chmod +x "$tmp/check"
  want=$(cut -d' ' -f1 "$kit/assay.sha256"); got=$(sha256sum "$tmp/check" | cut -d' ' -f1)
  [ "$want" = "$got" ] || { echo "stage.sh: unpacked binary's sha256 $got != $want" >&2; exit 1; }
  env -u LD_LIBRARY_PATH "$tmp/check" --version | sed 's/^/   --version: /'
  env -u LD_LIBRARY_PATH "$tmp/check" --help >"$tmp/help.txt" && echo "   --help: ok ($(wc -l <"$tmp/help.txt") lines)"
  set +e
  env -u LD_LIBRARY_PATH "$tmp/check" run --out "$tmp/runs" --quiet --no-reports 2>&1 | sed 's/^/   | /'
  rc=${PIPESTATUS[0]}
  set -e
  summary=$(python3 - "$tmp/runs" <<'EOF' 2>/dev/null || echo "(no run record)"
import collections, glob, json, sys
paths = sorted(p for p in glob.glob(sys.argv[1] + "/*/*/run.json") if "/latest/" not in p)
record = json.load(open(paths[-1]))
counts = collections.Counter(c["outcome"] for c in record["cases"])
print("%s x %s: %d cases, %s, status %s" % (record["target"]["value"]["id"], ",".join(s["value"]["id"] for s in record["suites"]),
      len(record["cases"]), ", ".join("%d %s" % (n, o) for o, n in sorted(counts.items())), record["status"]))
EOF
)
  echo "   assay run (default target): exit $rc; $summary"
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "stage.sh: the static binary did not complete a run (exit $rc)" >&2
    exit 1
  fi
fi
echo "== staged: $kit/assay.xz ($(numfmt --to=iec "$(stat -c %s "$kit/assay.xz")")); copy the repository with $kit/ to the GPU machine and run there: bash Benchmarks/gpu/run.sh OUTDIR"
