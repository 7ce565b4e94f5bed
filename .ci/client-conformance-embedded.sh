#!/usr/bin/env bash
# The client conformance cases again, this time against the embedded .NET dev server (memory store,
# streams at the root, the test-only fault endpoint on, the 500 ms long-poll hold the cases assume).
# Expects a Release build of the solution.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dll="samples/DurableStreams.DevServer/bin/Release/net10.0/DurableStreams.DevServer.dll"
results="artifacts/client-conformance-embedded"
mkdir -p "$results"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"

dotnet "$dll" --urls "$url" --store memory --prefix / --test-faults true --long-poll-timeout 0.5 \
  >"$results/devserver.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -s -o /dev/null "$url/"; then break; fi
  sleep 0.2
done

DURABLE_STREAMS_CONFORMANCE_SERVER_URL="$url" dotnet test tests/DurableStreams.Conformance -c Release --no-build \
  --logger "console;verbosity=minimal" --results-directory "$results"
