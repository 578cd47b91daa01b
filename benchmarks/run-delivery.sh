#!/usr/bin/env bash
# Delivery latency (p50/p90/p99) inside region-a and from region-a to region-b, and cross-region
# throughput, with real XMPP clients against the local federation (started if needed).
# Usage: benchmarks/run-delivery.sh [--pairs 20] [--rate 50] [--seconds 20] [--throughput-seconds 20]
# (--throughput-seconds 0 skips the throughput phase). Latency is only meaningful below the
# federation's capacity: at 200 msg/s on a 2-core machine queues build and it measures them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Dstyle.color=never -DskipTests package -pl benchmarks -am >/dev/null
./tern up >/dev/null
cp="benchmarks/target/tern-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/runtime-classpath.txt)"
exec java -Xmx1g -cp "$cp" dev.tern.bench.DeliveryBenchmark \
  --cert-a var/data/tern-region-a/tls/localhost.crt.pem \
  --cert-b var/data/tern-region-b/tls/localhost.crt.pem "$@"
