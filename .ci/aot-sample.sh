#!/usr/bin/env bash
# Native AOT sample: publishes samples/DurableStreams.Sample.Aot for linux-x64 (PublishAot is set in its
# project), fails on any trim or AOT warning, then runs the native binary against the reference server.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib/reference-server.sh
trap stop_reference_server EXIT

out=artifacts/aot-sample
mkdir -p artifacts
dotnet publish samples/DurableStreams.Sample.Aot -c Release -r linux-x64 -o "$out" 2>&1 | tee artifacts/aot-sample-publish.log
if grep -E 'warning (IL[23][0-9]{3}|IL[0-9]+)' artifacts/aot-sample-publish.log; then
  echo "trim/AOT warnings found" >&2
  exit 1
fi

# Webhook subscriptions on (the sample's webhook receiver listens on 127.0.0.1).
export DS_WEBHOOKS=true
start_reference_server
"$out/DurableStreams.Sample.Aot" "$SERVER_URL"
# No argument: the binary starts the embedded server in process.
"$out/DurableStreams.Sample.Aot"
