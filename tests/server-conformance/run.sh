#!/usr/bin/env bash
# Runs the published server conformance suite (npm @durable-streams/server-conformance-tests) against the
# .NET dev server and compares the outcome with known-failures.txt, a ratchet: a listed test that now passes
# fails the run (remove it from the list), and so does any failing test that is not listed.
# Then checks that the official TypeScript client (@durable-streams/client) reads a stream larger than 4 MiB
# whole with live off (interop-large-read.mjs).
# Usage: bash tests/server-conformance/run.sh   (expects a Release build of the solution)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

npm ci --no-audit --no-fund >/dev/null

dll="$root/samples/DurableStreams.DevServer/bin/Release/net10.0/DurableStreams.DevServer.dll"
[ -f "$dll" ] || dotnet build "$root/samples/DurableStreams.DevServer" -c Release >/dev/null
results="$root/artifacts/server-conformance"
mkdir -p "$results"
server_pid=""
trap '[ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; } || true' EXIT

# start_server <log> <dev server args...>: a fresh dev server on a free port; sets $url and $server_pid.
start_server() {
  local log="$1" port
  shift
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  url="http://127.0.0.1:$port"
  dotnet "$dll" --urls "$url" "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "$url/v1/stream/__ready"; then return 0; fi
    sleep 0.2
  done
  echo "dev server did not start; see $log" >&2
  return 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# One suite run against a fresh dev server with the given store; leaves $results/<store>.json.
run_suite() {
  local store="$1" data
  data="$(mktemp -d)"
  # A short long-poll timeout keeps the suite's wait-for-timeout cases quick.
  # Webhooks on, with local receivers allowed: the subscription group posts to a receiver on 127.0.0.1.
  start_server "$results/devserver-$store.log" --long-poll-timeout 3 --store "$store" --data-dir "$data" --webhooks true
  CONFORMANCE_TEST_URL="$url" npx vitest run --config vitest.config.mjs --reporter=dot \
    --reporter=json --outputFile.json="$results/$store.json" >"$results/vitest-$store.log" 2>&1 || true
  stop_server
  rm -rf "$data"
}

# The same suite against both stores: the file store must behave exactly like the memory store.
status=0
for store in memory file; do
  run_suite "$store"
  python3 - "$results/$store.json" "$here/known-failures.txt" "$store" <<'PY' || status=1
import json, sys
results, known_path, store = sys.argv[1], sys.argv[2], sys.argv[3]
data = json.load(open(results, encoding="utf-8"))
passed, failed, skipped = set(), set(), 0
for suite in data["testResults"]:
    for test in suite["assertionResults"]:
        name = test["fullName"].strip()
        if test["status"] == "passed": passed.add(name)
        elif test["status"] == "failed": failed.add(name)
        else: skipped += 1
known = {line.strip() for line in open(known_path, encoding="utf-8") if line.strip() and not line.startswith("#")}
print(f"server conformance ({store} store): {len(passed)} passed, {len(failed)} failed, {skipped} skipped")
unexpected = sorted(failed - known)
fixed = sorted(known & passed)
missing = sorted(known - passed - failed)
for name in unexpected: print(f"  NEW FAILURE: {name}")
for name in fixed: print(f"  NOW PASSES (remove from known-failures.txt): {name}")
for name in missing: print(f"  LISTED BUT NOT RUN (remove from known-failures.txt): {name}")
sys.exit(1 if unexpected or fixed or missing else 0)
PY
done

# Interop: the official TypeScript client reads ~6 MiB back whole with live off from a server with the default
# read cap. Against the old 4 MiB cap the same read must come back short (that client stops at the first
# response without Stream-Up-To-Date): the check can see the loss it guards against.
start_server "$results/devserver-interop.log"
node interop-large-read.mjs "$url/v1/stream" --expect whole || status=1
stop_server
start_server "$results/devserver-interop-4mib.log" --max-read-bytes 4194304
node interop-large-read.mjs "$url/v1/stream" --expect truncated || status=1
stop_server
exit "$status"
