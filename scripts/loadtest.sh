#!/usr/bin/env bash
# Load test of `showroom serve` on loopback with wrk (Debian package), bounded
# in time: all-cached, all-unique, and 10× overload. Prints throughput,
# p50/p95/p99 latency, statuses and the server's peak memory; checks that
# under overload the only errors are 429/503, that /healthz answers
# throughout, and that peak memory stays within MEMORY_BUDGET_MB.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SHOWROOM_BIN:-target/release/showroom}
[ -x "$BIN" ] || cargo build --release -p showroom-cli
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
DURATION=${DURATION:-15}
MEMORY_BUDGET_MB=${MEMORY_BUDGET_MB:-1536}
export LOAD_DIR="$PWD/scripts/load"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CACHE=$(mktemp -d)
mkdir -p target/load
# A small queue and a short deadline so overload shows as 429/503 quickly.
"$BIN" serve --addr "127.0.0.1:$PORT" --cache-dir "$CACHE" --queue-depth 8 --deadline-ms 5000 \
    > target/load/serve.log 2>&1 &
SERVER=$!
HEALTH_LOG=target/load/healthz.log
trap 'kill $SERVER $HEALTH 2>/dev/null || true; rm -rf "$CACHE"' EXIT
for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.5
done
URL="http://127.0.0.1:$PORT"
# /healthz every 200 ms for the whole run; each must answer within 1 s.
( while true; do
    if curl -fsS -m 1 "$URL/healthz" >/dev/null 2>&1; then echo ok; else echo FAIL; fi
    sleep 0.2
  done ) > "$HEALTH_LOG" &
HEALTH=$!
peak_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SERVER/status"; }

run() { # name connections script
    local out
    out=$(wrk -t2 -c"$2" -d"${DURATION}s" --timeout 30s -s "scripts/load/$3" "$URL" | grep '^RESULT')
    printf "| %-10s | %3d | %s | %5s MB |\n" "$1" "$2" "${out#RESULT }" "$(peak_mb)"
    echo "$out" > "target/load/$1.txt"
}
curl -fsS -o /dev/null "$URL/v1/products/sneaker/image?width=256&height=256&sel.colorway=beach"
echo "| scenario | conns | result | peak RSS |"
echo "|---|---:|---|---:|"
run cached 16 cached.lua
run unique 2 unique.lua
run overload 20 unique.lua
kill $HEALTH 2>/dev/null || true
fails=$(grep -c FAIL "$HEALTH_LOG" || true)
checks=$(wc -l < "$HEALTH_LOG")
echo "healthz: $((checks - fails))/$checks answered within 1 s"
bad=$(grep -o 'statuses=[^ ]*' target/load/overload.txt | tr ',' '\n' | sed 's/statuses=//' |
      awk -F: '$1 != 200 && $1 != 304 && $1 != 429 && $1 != 503 { print }')
status=0
[ -z "$bad" ] || { echo "overload: unexpected statuses: $bad"; status=1; }
[ "$fails" -eq 0 ] || { echo "healthz failed $fails times"; status=1; }
[ "$(peak_mb)" -le "$MEMORY_BUDGET_MB" ] || { echo "peak memory $(peak_mb) MB > $MEMORY_BUDGET_MB MB"; status=1; }
exit $status
