#!/usr/bin/env bash
# Load test of `dossier serve`: 50 concurrent clients for 30 s against an index, on this
# machine's loopback only, with wrk (apt-get install wrk) and benches/serve-load.lua.
#
#   benches/serve-load.sh [DOSSIER_BINARY] [INDEX_DIR] [CLIENTS] [SECONDS]
#
# Defaults: target/release/dossier, index/, 50 clients, 30 s. Prints wrk's summary with
# error counts and p50/p90/p99 latency. The request loop is bounded by SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/dossier}
index=${2:-index}
clients=${3:-50}
seconds=${4:-30}
command -v wrk >/dev/null || { echo "serve-load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
log=$(mktemp)
"$bin" serve --index "$index" --addr 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q 'http://' "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$log" | head -1)
url=${url%/}
[ -n "$url" ] || { cat "$log" >&2; exit 2; }
echo "serve-load: $clients clients, ${seconds}s, $url ($(curl -s "$url/api/health" 2>/dev/null || true))"
wrk -t2 -c"$clients" -d"${seconds}s" --timeout 10s -s benches/serve-load.lua "$url"
