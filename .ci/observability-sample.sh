#!/usr/bin/env bash
# Runs samples/Observability (already built by the Release build) once: it must exit 0, and its console
# exporter output must hold at least one span of the client's ActivitySource "DurableStreams" and one metric
# of its Meter "DurableStreams".
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
log=artifacts/observability-sample.log

timeout 120 dotnet run -c Release --no-build --project samples/Observability > "$log" 2>&1 || {
  status=$?; tail -n 60 "$log"; echo "samples/Observability failed (exit $status); whole output in $log"; exit 1; }

# Spans and metrics per instrumentation scope, as the exporter printed them.
echo "spans by ActivitySource:"
grep -A1 -F 'Instrumentation scope (ActivitySource):' "$log" | sed -n 's/^[[:space:]]*Name: //p' | sort | uniq -c || true
echo "metrics by Meter:"
grep -A1 -F 'Instrumentation scope (Meter):' "$log" | sed -n 's/^[[:space:]]*Name: //p' | sort | uniq -c || true

if ! grep -A1 -F 'Instrumentation scope (ActivitySource):' "$log" | grep -Eq '^[[:space:]]+Name: DurableStreams$'; then
  echo "no span from ActivitySource \"DurableStreams\" in the sample's output ($log)"
  exit 1
fi
if ! grep -A1 -F 'Instrumentation scope (Meter):' "$log" | grep -Eq '^[[:space:]]+Name: DurableStreams$'; then
  echo "no metric from Meter \"DurableStreams\" in the sample's output ($log)"
  exit 1
fi
echo "ok: the sample ran and printed the client's spans and metrics"
