#!/usr/bin/env bash
# Telemetry cost (issue 16 part 4): do append, decode and SSE parsing cost the same with no listener as before the
# client had any telemetry, and what do tracing and metrics cost when someone listens?
#
#   bash bench/telemetry-cost.sh [--rounds N] [--out DIR]      (about 8-10 minutes with the default 2 rounds)
#
# "before" is the micro-benchmarks (bench/DurableStreams.Benchmarks) built from 1c2e1fc, the commit before the
# client emitted any span or metric, in a temporary git worktree; "after" is this checkout. The same SDK benchmarks
# run in both (their sources are unchanged since 1c2e1fc), alternating before/after/after/before... so drift on
# a shared machine hits both sides alike; each side's figure is the median over rounds, with every round's value
# shown. TelemetryBenchmarks and TelemetryReadBenchmarks (after only) compare no listener with an ActivityListener +
# MeterListener attached (append, catch-up open, typed catch-up read, typed SSE read).
# Allocations are exact; times need a quiet machine. Set HEAVY_LOCK=/path to run the builds under flock.
# Nothing here asserts: it writes DIR/summary.md (default artifacts/telemetry-cost) and prints it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=2
out="$root/artifacts/telemetry-cost"
before_commit=1c2e1fc
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: bash bench/telemetry-cost.sh [--rounds N] [--out DIR]" >&2; exit 64 ;;
  esac
done
lock() { if [ -n "${HEAVY_LOCK:-}" ]; then flock "$HEAVY_LOCK" "$@"; else "$@"; fi; }
project=bench/DurableStreams.Benchmarks
dll=bench/DurableStreams.Benchmarks/bin/Release/net10.0/DurableStreams.Benchmarks.dll
# The SDK side of each pair (the baselines, plain HttpClient/JsonSerializer, did not change and are skipped).
shared_filters=('*AppendEncodingBenchmarks.Sdk' '*RequestPathBenchmarks.Sdk' '*SseParsingBenchmarks.Sdk' '*JsonDecodingBenchmarks.Sdk*')
job=(--job short --warmupCount 3 --iterationCount 5 --iterationTime 250 --exporters json)

rm -rf "$out"
mkdir -p "$out"
started=$(date +%s)
log() { printf '[%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

log "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a); building after ($(git -C "$root" rev-parse --short HEAD))"
lock dotnet build "$root/$project" -c Release >"$out/build-after.log" 2>&1 || { tail -20 "$out/build-after.log"; exit 1; }

before_dir="$(mktemp -d /tmp/ds-telemetry-before.XXXXXX)"
cleanup() { git -C "$root" worktree remove --force "$before_dir" >/dev/null 2>&1 || rm -rf "$before_dir"; }
trap cleanup EXIT
before_ok=""
if git -C "$root" worktree add --detach "$before_dir" "$before_commit" >"$out/build-before.log" 2>&1 \
   && diff -r "$root/$project/Fixtures" "$before_dir/$project/Fixtures" >/dev/null \
   && lock dotnet build "$before_dir/$project" -c Release >>"$out/build-before.log" 2>&1; then
  before_ok=1
  log "before ($before_commit) built in $before_dir"
else
  log "before ($before_commit) unavailable (see $out/build-before.log): comparing no listener with listener only"
fi

run() { # run <side> <round> <filters...>
  local side="$1" round="$2" dir
  shift 2
  dir="$([ "$side" = before ] && echo "$before_dir" || echo "$root")"
  log "round $round: $side (load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a))"
  (cd "$dir" && dotnet "$dll" --filter "$@" "${job[@]}" --artifacts "$out/$side-$round") >"$out/$side-$round.log" 2>&1 \
    || { tail -30 "$out/$side-$round.log"; exit 1; }
}

for round in $(seq 1 "$rounds"); do
  # ABBA: the side that went second goes first next round.
  if [ -n "$before_ok" ] && [ $((round % 2)) -eq 1 ]; then run before "$round" "${shared_filters[@]}"; fi
  run after "$round" "${shared_filters[@]}" '*TelemetryBenchmarks*' '*TelemetryReadBenchmarks*'
  if [ -n "$before_ok" ] && [ $((round % 2)) -eq 0 ]; then run before "$round" "${shared_filters[@]}"; fi
done

log "done; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
python3 "$root/bench/telemetry-cost-summary.py" "$out" "$rounds" "$before_commit" "$(git -C "$root" rev-parse --short HEAD)" | tee "$out/summary.md"
