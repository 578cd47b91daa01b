#!/usr/bin/env bash
# Idle-connection memory and login rate of a region's edge, as the README reports them.
# Starts the local federation if needed, restarts region-a's Tern process with a larger heap
# (TERN_JAVA_OPTS, default -Xmx2g) so the heap limit is not what is measured, then for each
# transport and count prints logins/s and the server's resident memory per idle connection.
# Usage: benchmarks/run-connections.sh [counts...]   (default: 1000 10000 18000)
# The process file limit here is 20 000 (RLIMIT_NOFILE, not raisable), so 18 000 is the most
# one edge process can hold on these machines.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(1000 10000 18000)
export TERN_JAVA_OPTS=${TERN_JAVA_OPTS:--Xmx2g}
# The load comes from a handful of loopback addresses: lift the per-address guard for the run.
export TERN_XMPP_LIMITS_MAX_UNAUTHENTICATED_PER_IP=${TERN_XMPP_LIMITS_MAX_UNAUTHENTICATED_PER_IP:-1000}
mvn -q -B -Dstyle.color=never -DskipTests package -pl benchmarks -am >/dev/null
./tern down >/dev/null; ./tern up >/dev/null
cp="benchmarks/target/tern-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/runtime-classpath.txt)"
for transport in ${TRANSPORTS:-starttls websocket}; do
  for n in "${counts[@]}"; do
    # A fresh Tern process per run, so each run starts from the same memory.
    ./tern restart-tern >/dev/null
    pid=$(head -1 var/run/tern-region-a.pid)
    java -Xmx6g -XX:+UseParallelGC -cp "$cp" dev.tern.bench.ConnectionsBenchmark \
      --transport "$transport" --connections "$n" --users 100 --concurrency 200 \
      --server-pid "$pid" --cert var/data/tern-region-a/tls/localhost.crt.pem
  done
done
