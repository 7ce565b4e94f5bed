#!/usr/bin/env bash
# Runs the published server conformance suite (npm @durable-streams/server-conformance-tests) against the
# .NET dev server and compares the outcome with known-failures.txt, a ratchet: a listed test that now passes
# fails the run (remove it from the list), and so does any failing test that is not listed.
# Usage: bash tests/server-conformance/run.sh   (expects a Release build of the solution)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

npm ci --no-audit --no-fund >/dev/null

dll="$root/samples/DurableStreams.DevServer/bin/Release/net10.0/DurableStreams.DevServer.dll"
[ -f "$dll" ] || dotnet build "$root/samples/DurableStreams.DevServer" -c Release >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"
results="$root/artifacts/server-conformance"
mkdir -p "$results"

# A short long-poll timeout keeps the suite's wait-for-timeout cases quick.
dotnet "$dll" --urls "$url" --long-poll-timeout 3 >"$results/devserver.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if curl -s -o /dev/null "$url/v1/stream/__ready"; then break; fi
  sleep 0.2
done

set +e
CONFORMANCE_TEST_URL="$url" npx vitest run --config vitest.config.mjs --reporter=dot \
  --reporter=json --outputFile.json="$results/results.json" >"$results/vitest.log" 2>&1
set -e
tail -n 8 "$results/vitest.log"

python3 - "$results/results.json" "$here/known-failures.txt" <<'PY'
import json, sys
results, known_path = sys.argv[1], sys.argv[2]
data = json.load(open(results, encoding="utf-8"))
passed, failed, skipped = set(), set(), 0
for suite in data["testResults"]:
    for test in suite["assertionResults"]:
        name = test["fullName"].strip()
        if test["status"] == "passed": passed.add(name)
        elif test["status"] == "failed": failed.add(name)
        else: skipped += 1
known = {line.strip() for line in open(known_path, encoding="utf-8") if line.strip() and not line.startswith("#")}
print(f"server conformance: {len(passed)} passed, {len(failed)} failed, {skipped} skipped (optional subscription group excluded)")
unexpected = sorted(failed - known)
fixed = sorted(known & passed)
missing = sorted(known - passed - failed)
for name in unexpected: print(f"  NEW FAILURE: {name}")
for name in fixed: print(f"  NOW PASSES (remove from known-failures.txt): {name}")
for name in missing: print(f"  LISTED BUT NOT RUN (remove from known-failures.txt): {name}")
sys.exit(1 if unexpected or fixed or missing else 0)
PY
