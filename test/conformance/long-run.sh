#!/usr/bin/env bash
# The long conformance run: many seeds of generated programs, each seed planned on both Flink lines in a vitest run
# of its own (one test stays well under the conformance project's time limit), then one line per seed and a total.
#
#   npm run test:conformance:long                 # 10 seeds × 2,500 programs per line (about 2 hours on 2 cores)
#   npm run test:conformance:long -- 4 1000       # 4 seeds × 1,000 programs per line
#
# It fails when any program disagrees; a seed's log (in $CONFORMANCE_LOGS, default a fresh temporary folder) has
# the shrunk reproductions. Coverage is asserted by the CI run; here a seed that misses an overload only says so.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seeds="${1:-10}"
programs="${2:-2500}"
logs="${CONFORMANCE_LOGS:-$(mktemp -d -t pipec-conformance-long-XXXXXX)}"
mkdir -p "$logs"
first=$(( (RANDOM << 15 | RANDOM) % 2000000000 ))
total=0
disagreements=0
echo "conformance long run: $seeds seeds from $first, $programs programs per Flink line and seed; logs in $logs"
for (( i = 0; i < seeds; i++ )); do
  seed=$(( first + i * 7919 ))
  log="$logs/$seed.log"
  CONFORMANCE_SEED=$seed CONFORMANCE_PROGRAMS=$programs bin/with-node npx vitest run --project conformance test/conformance/conformance.test.ts >"$log" 2>&1
  while read -r line; do
    echo "  $line"
    total=$(( total + $(sed -E 's/.*: ([0-9]+) programs .*/\1/' <<<"$line") ))
    disagreements=$(( disagreements + $(sed -E 's/.* ([0-9]+) disagreements.*/\1/' <<<"$line") ))
  done < <(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^conformance: Flink [0-9.]+, seed [0-9]+: [0-9]+ programs')
done
echo "conformance long run: $total programs, $disagreements disagreements"
[ "$disagreements" -eq 0 ]
