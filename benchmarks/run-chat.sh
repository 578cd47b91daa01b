#!/usr/bin/env bash
# 1:1 messaging under stepped load, measured by the lab's independent XMPP load generator
# (xmpp-load: its directory in BENCH, with its run.sh), against region-a of the local federation.
# Server CPU, RSS and disk count every process of the federation (Tern, Cassandra, NATS, Redis,
# S3), as for a server that embeds its database.
# Usage: BENCH=<xmpp-load directory> benchmarks/run-chat.sh [xmpp-load chat options, e.g. --users 800]
# The generator logs every user in from one address: beyond the default burst of new connections
# per address (xmpp.limits.connectionBurstPerIp, 1000) the federation is (re)started with the
# burst raised to the number of users.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BENCH:?set BENCH to the xmpp-load directory (the one holding run.sh)}"
users=800
for ((i = 1; i <= $#; i++)); do
  if [[ "${!i}" == --users ]]; then j=$((i + 1)); users="${!j}"; fi
done
export TERN_XMPP_LIMITS_CONNECTION_BURST_PER_IP="${TERN_XMPP_LIMITS_CONNECTION_BURST_PER_IP:-$((users > 1000 ? users : 1000))}"
./tern up >/dev/null
./tern restart-tern >/dev/null # the Tern processes take the raised limit
home="${TERN_HOME:-var}"
pids=$(for f in "$home"/run/*.pid; do head -1 "$f"; done | paste -sd, -) # line 1: the pid, line 2: its start time
"$BENCH/run.sh" tern-a 127.0.0.1 5222 "$pids" register --users "$users" --rate 100
exec "$BENCH/run.sh" tern-a 127.0.0.1 5222 "$pids" chat --users "$users" "$@"
