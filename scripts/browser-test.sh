#!/usr/bin/env bash
# Browser test of the web configurator: starts `showroom serve` on a free
# loopback port, drives `/` in headless Chromium (Debian's chromium +
# playwright-core), and saves a screenshot to target/browser/configurator.png.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SHOWROOM_BIN:-target/debug/showroom}
[ -x "$BIN" ] || cargo build -p showroom-cli
if ! command -v chromium >/dev/null; then
    echo "chromium not found: installing Debian's chromium" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
[ -d tests/browser/node_modules/playwright-core ] ||
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
mkdir -p target/browser
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CACHE=$(mktemp -d)
SHOWROOM_LOG=${SHOWROOM_LOG:-info} "$BIN" serve --addr "127.0.0.1:$PORT" --cache-dir "$CACHE" \
    > target/browser/serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$CACHE"' EXIT
for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    kill -0 $SERVER 2>/dev/null || { cat target/browser/serve.log; exit 1; }
    sleep 0.5
done
node tests/browser/configurator.mjs "http://127.0.0.1:$PORT" target/browser/configurator.png
echo "browser test: ok (target/browser/configurator.png)"
