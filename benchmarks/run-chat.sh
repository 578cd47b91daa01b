#!/usr/bin/env bash
# 1:1 messaging under stepped load, measured by the lab's independent XMPP load generator
# (xmpp-load: its directory in BENCH, with its run.sh), against region-a of the local federation.
# Server CPU, RSS and disk count every process of the federation (Tern, Cassandra, NATS, Redis,
# S3), as for a server that embeds its database.
# Usage: BENCH=<xmpp-load directory> benchmarks/run-chat.sh [xmpp-load chat options, e.g. --users 800]
# The generator logs 50 users in at once from one address: the federation is (re)started with
# xmpp.limits.maxUnauthenticatedPerIp raised to 1000 for that.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH:?set BENCH to the xmpp-load directory (the one holding run.sh)}"
users=800
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == --users ]]; then j=$((i + 1)); users="${!j}"; fi
done
export TERN_XMPP_LIMITS_MAX_UNAUTHENTICATED_PER_IP="${TERN_XMPP_LIMITS_MAX_UNAUTHENTICATED_PER_IP:-1000}"
./tern up >/dev/null
./tern restart-tern >/dev/null # the Tern processes take the raised limit
home="${TERN_HOME:-var}"
pids=$(for f in "$home"/run/*.pid; do head -1 "$f"; done | paste -sd, -) # line 1: the pid, line 2: its start time
"$BENCH/run.sh" tern-a 127.0.0.1 5222 "$pids" register --users "$users" --rate 100
exec "$BENCH/run.sh" tern-a 127.0.0.1 5222 "$pids" chat --users "$users" "$@"
