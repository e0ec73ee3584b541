#!/usr/bin/env bash
# A/B of ingest throughput between two checkouts, interleaved: `bash bench/ingest-ab.sh DIR_A DIR_B [ROUNDS]`.
# Each round runs this checkout's bench/ingest.bench.ts with BENCH_ONLY=closed (the PostgreSQL closed
# loop and the bare baseline) against DIR_A's built app, then DIR_B's, alternating which goes first,
# so the VM's drift (its speed moved by 2x within minutes on the 2-core VM) falls on both alike.
# Both directories need `npm install` and `npm run build`. Prints one line per run and the medians:
# deliveries/s, bare/s, ratio, app and PostgreSQL CPU ms per delivery, p50 and p99 ms.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
a="$(cd "$1" && pwd)"; b="$(cd "$2" && pwd)"; rounds="${3:-4}"
out="$(mktemp)"
run() { # dir label
  cp "$here/bench/ingest.bench.ts" "$1/bench/.ingest-ab.bench.ts"
  local line
  line=$(cd "$1" && BENCH_ONLY=closed BENCH_SECONDS="${BENCH_SECONDS:-8}" npx tsx bench/.ingest-ab.bench.ts 2>&1 | grep '^AB ' || echo "AB failed")
  rm -f "$1/bench/.ingest-ab.bench.ts"
  echo "$2 ${line#AB }" | tee -a "$out"
}
for i in $(seq 1 "$rounds"); do
  if (( i % 2 )); then run "$a" A; run "$b" B; else run "$b" B; run "$a" A; fi
done
echo "medians (deliveries/s, bare/s, ratio, app CPU ms, PostgreSQL CPU ms, p50, p99, analytics caught up ms after the last answer):"
for l in A B; do
  echo "$l $(awk -v l="$l" '$1 == l && $2 != "failed"' "$out" | awk '{ for (i = 2; i <= 9; i++) v[i, NR] = $i; n = NR } END {
    for (i = 2; i <= 9; i++) { for (j = 1; j <= n; j++) a[j] = v[i, j]; asort(a); m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; printf "%s ", m; delete a } }')"
done
rm -f "$out"
