#!/usr/bin/env bash
# Measures the two figures of the README: time from `./tern up` on a warm machine (jars fetched,
# build current, data directory existing) to a healthy federation, and the federation's resident
# memory (now, and the sum of every process's peak) after the whole test suite ran against it.
# Usage: regions/scripts/measure-up.sh [runs]   (default 3 runs; stops the federation between runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
./tern up >/dev/null          # warm: fetch, build, create data once
for i in $(seq 1 "$runs"); do
  ./tern down >/dev/null
  start=$(date +%s.%N)
  ./tern up | grep -E 'ready in|healthy in' | tr '\n' ' '
  end=$(date +%s.%N)
  awk -v i="$i" -v s="$start" -v e="$end" 'BEGIN { printf "\nrun %d: ./tern up took %.1f s (wall clock, including the launcher JVM)\n", i, e - s }'
done
echo "running the integration tests against it to load every component once..."
mvn -B -q -Dstyle.color=never verify -pl integration-tests -am >/dev/null 2>&1 || echo "(the tests failed; memory figures still follow)"
./tern status | tail -1
