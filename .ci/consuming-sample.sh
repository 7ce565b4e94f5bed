#!/usr/bin/env bash
# Runs samples/Consuming (already built by the Release build) once: it must exit 0 (it checks its own result:
# the consumer and the webhook each processed every order written, the two pull-wake workers together each order
# once) and print who processed what: producer, consumer, webhook and worker lines, the consumers' checkpoints
# read back from their stream, and its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
log=artifacts/consuming-sample.log

timeout 120 dotnet run -c Release --no-build --project samples/Consuming > "$log" 2>&1 || {
  status=$?; tail -n 60 "$log"; echo "samples/Consuming failed (exit $status); whole output in $log"; exit 1; }

for who in producer consumer webhook worker-; do
  count=$(grep -cE "^${who}[a-z0-9-]* +orders/[a-z]+ +o-[0-9]+ " "$log" || true)
  echo "$who lines: $count"
  if [ "$count" -eq 0 ]; then echo "no \"$who\" line in the sample's output ($log)"; exit 1; fi
done
grep -E '^(checkpoint|acked|processed) ' "$log"
if ! grep -q '^ok: ' "$log"; then
  echo "no \"ok:\" verdict in the sample's output ($log)"
  exit 1
fi
echo "ok: the sample ran, every way of consuming processed every order, and the workers shared them once each"
