#!/usr/bin/env bash
# Runs samples/TypedState (already built by the Release build) once on the embedded server: it must exit 0 (it
# checks its own result: a live reader and an instance resumed from a checkpoint both hold exactly the state
# that was written) and print the changes it saw, the checkpoint and its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
log=artifacts/typed-state-sample.log

timeout 120 dotnet run -c Release --no-build --project samples/TypedState > "$log" 2>&1 || {
  status=$?; tail -n 60 "$log"; echo "samples/TypedState failed (exit $status); whole output in $log"; exit 1; }

cat "$log"
for kind in Inserted Updated Deleted; do
  if ! grep -qE "^change +${kind} " "$log"; then echo "no \"$kind\" change in the sample's output ($log)"; exit 1; fi
done
grep -qE '^saved +checkpoint at offset ' "$log" || { echo "no checkpoint line in the sample's output ($log)"; exit 1; }
grep -q '^ok: ' "$log" || { echo "no \"ok:\" verdict in the sample's output ($log)"; exit 1; }
echo "ok: the typed state sample ran and verified itself"
