#!/usr/bin/env bash
# The main job of the README: start the in-process Cassandra stand-in, then
# run init, migrate and status on examples/migrations, and stop the server.
# Usage: examples/demo.sh path/to/cqltrack [port]
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
port=${2:-9042}
cd "$(dirname "$0")"
log=$(mktemp)
"$bin" sandbox --port "$port" --nodes 3 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q '^sandbox ready' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
head -n 1 "$log"
export CQLTRACK_HOSTS=127.0.0.1,127.0.0.2,127.0.0.3 CQLTRACK_PORT=$port
set -x
"$bin" init
"$bin" migrate
"$bin" status
{ set +x; } 2>/dev/null
