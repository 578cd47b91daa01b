#!/usr/bin/env bash
# Idle-connection memory and login rate of a region's edge, as the README reports them.
#
# Usage: benchmarks/run-connections.sh [counts...]        (default: 10000 50000)
#        TRANSPORTS="starttls websocket" (default both), WARMUP=1000 per edge process
#
# Starts the local federation if needed. For each transport and count N it restarts region-a's
# Tern process (TERN_JAVA_OPTS, default -Xmx2g, so that the heap limit is not what is measured)
# and spreads the N connections over K edge processes of region-a: the region's own process and
# K-1 extra edge-only processes (`./tern start-edge`, ports moved by 100, 200, ...), with
# K = ceil(N / 17 000), because a process may open at most 20 000 files on these machines
# (RLIMIT_NOFILE, not raisable here). Each edge gets its own load process
# (dev.tern.bench.ConnectionsBenchmark: STARTTLS or WebSocket, SCRAM-SHA-1, bind, presence).
#
# Memory per connection is the slope of each edge process's resident memory over its connections,
# fitted through five readings from a warm-up batch (WARMUP connections per edge) to the end, each
# taken once the server is quiet and after it collected its heap and trimmed its native heap
# (jcmd); the processes' slopes are weighted by the connections each added. The plain growth from
# the first reading to the last is printed beside it. Logins/s counts the logins after the
# warm-up, all edges together, without the pauses for readings.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 50000)
export TERN_JAVA_OPTS=${TERN_JAVA_OPTS:--Xmx2g}
# The load comes from a handful of loopback addresses, faster than the rate of new connections
# one address may open (xmpp.limits.connectionRatePerIp): lift the per-address guard for the run.
export TERN_XMPP_LIMITS_CONNECTION_RATE_PER_IP=${TERN_XMPP_LIMITS_CONNECTION_RATE_PER_IP:-100000}
export TERN_XMPP_LIMITS_CONNECTION_BURST_PER_IP=${TERN_XMPP_LIMITS_CONNECTION_BURST_PER_IP:-100000}
warmup=${WARMUP:-1000}
per_edge=17000
mvn -q -B -Dstyle.color=never -DskipTests package -pl benchmarks -am >/dev/null
./tern up >/dev/null
cp="benchmarks/target/tern-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/runtime-classpath.txt)"
extra_edges=()
stop_extra_edges() {
  for e in ${extra_edges[@]+"${extra_edges[@]}"}; do ./tern stop-edge "$e" >/dev/null || true; done
  extra_edges=()
}
trap stop_extra_edges EXIT
out=$(mktemp -d)

for transport in ${TRANSPORTS:-starttls websocket}; do
  for n in "${counts[@]}"; do
    k=$(( (n + per_edge - 1) / per_edge ))
    # A fresh Tern process per run, so each run starts from the same memory.
    ./tern restart-tern >/dev/null
    offsets=(0)
    for ((i = 1; i < k; i++)); do
      ./tern start-edge region-a "bench-edge-$i" $((i * 100)) >/dev/null
      extra_edges+=("bench-edge-$i")
      offsets+=($((i * 100)))
    done
    rm -f "$out"/edge-*.log # a run with fewer edges must not count an earlier run's
    pids=()
    for ((i = 0; i < k; i++)); do
      member=tern-region-a; [ "$i" -eq 0 ] || member="bench-edge-$i"
      server=$(head -1 "var/run/$member.pid")
      off=${offsets[$i]}
      share=$(( n / k + (i < n % k ? 1 : 0) ))
      java -Xmx6g -XX:+UseParallelGC -cp "$cp" dev.tern.bench.ConnectionsBenchmark \
        --transport "$transport" --connections "$share" --warmup "$warmup" \
        --users $(( share / 50 > 100 ? share / 50 : 100 )) --user-offset $(( i * 100000 )) \
        --concurrency $(( 200 / k > 50 ? 200 / k : 50 )) \
        --port $((5222 + off)) --ws "ws://127.0.0.1:$((5280 + off))/ws" \
        --metrics "http://127.0.0.1:$((5280 + off))/metrics" \
        --server-pid "$server" --cert var/data/tern-region-a/tls/localhost.crt.pem \
        > "$out/edge-$i.log" 2>&1 &
      pids+=($!)
    done
    failed=0
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
    for ((i = 0; i < k; i++)); do sed "s/^/  edge $i: /" "$out/edge-$i.log" | grep -v "^  edge $i: registering"; done
    [ "$failed" -eq 0 ] || { echo "a load process failed" >&2; exit 1; }
    cat "$out"/edge-*.log | grep '^RESULT' | awk -v t="$transport" -v n="$n" -v k="$k" '
      { for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
        conns += v["connections"]; measured += v["measured"]; grow += v["rss1_kib"] - v["rss0_kib"]
        fitted += v["slope_kib"] * v["measured"]
        if (v["seconds"] > secs) secs = v["seconds"] }
      END { printf "== %s: %d idle authenticated connections on %d edge process(es): %.0f logins/s, %.1f KiB resident per further connection (fitted; first to last reading: %.1f KiB; %d connections after the warm-up)\n",
              t, conns, k, measured / secs, fitted / measured, grow / measured, measured }'
    stop_extra_edges
  done
done
