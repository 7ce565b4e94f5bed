"""Summarises bench/telemetry-cost.sh's BenchmarkDotNet JSON reports as markdown (used by that script only)."""
import glob, json, os, re, statistics, sys

out, rounds, before_commit, after_commit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def load(side):
    """{(type, method, params): [(mean ns, allocated B), ...one per round]}"""
    cases = {}
    for r in range(1, rounds + 1):
        for path in glob.glob(os.path.join(out, f"{side}-{r}", "**", "*.json"), recursive=True):
            for b in json.load(open(path, encoding="utf-8")).get("Benchmarks", []):
                key = (b["Type"], b["MethodTitle"].strip("'"), b.get("Parameters", ""))
                mean = (b.get("Statistics") or {}).get("Mean")
                alloc = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")
                if mean is not None:
                    cases.setdefault(key, []).append((mean, alloc))
    return cases


def natural(key):
    """Sort parameters by their numbers (Bytes=1024 before Bytes=65536)."""
    return [[int(x) if x.isdigit() else x for x in re.split(r"(\d+)", part)] for part in key]


def t(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("μs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def each(values):
    return " / ".join(t(v) for v in values)


def alloc(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    lo, hi = min(values), max(values)
    return f"{lo:,} B" if lo == hi else f"{lo:,}–{hi:,} B"


def ratio(a, b):
    return f"{a / b:.3f}" if b else "n/a"


before, after = load("before"), load("after")
load_now = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["n/a"]
print(f"## Telemetry cost: {rounds} round(s), before {before_commit} vs after {after_commit} (load at the end {' '.join(load_now)})\n")
print("Times are BenchmarkDotNet means (short job: 3 warm-up and 5 measured iterations of 250 ms); the median over rounds is compared, each round's value follows.")
print("Allocations are bytes per operation (min–max over rounds).\n")

if before:
    print("### No listener: before (no telemetry in the client) against after\n")
    print("| benchmark | method | parameters | time before | time after | after/before | each round before | each round after | allocated before | allocated after |")
    print("|---|---|---|---:|---:|---:|---|---|---:|---:|")
    for key in sorted((k for k in after if not k[0].startswith("Telemetry")), key=natural):
        if key not in before:
            continue
        b = [m for m, _ in before[key]]
        a = [m for m, _ in after[key]]
        print(f"| {key[0]} | {key[1]} | {key[2]} | {t(statistics.median(b))} | {t(statistics.median(a))} | "
              f"{ratio(statistics.median(a), statistics.median(b))} | {each(b)} | {each(a)} | "
              f"{alloc([x for _, x in before[key]])} | {alloc([x for _, x in after[key]])} |")
    print()
else:
    print(f"### Before ({before_commit}) did not build: no before/after comparison (see build-before.log)\n")

print("### Listener attached (every span recorded, every instrument enabled) against none, after only\n")
print("| method | concurrent appends | time, no listener | time, listening | listening/none | allocated, no listener | allocated, listening |")
print("|---|---|---:|---:|---:|---:|---:|")
rows = {}
for (typ, method, params), samples in after.items():
    if not typ.startswith("Telemetry"):
        continue
    parts = dict(p.split("=", 1) for p in params.split("&") if "=" in p)
    rows.setdefault((method, parts.get("Concurrent", "")), {})[parts.get("Listening", "")] = samples
for (method, concurrent), sides in sorted(rows.items()):
    off, on = sides.get("False", []), sides.get("True", [])
    if not off or not on:
        continue
    m_off, m_on = statistics.median(m for m, _ in off), statistics.median(m for m, _ in on)
    print(f"| {method} | {concurrent} | {t(m_off)} | {t(m_on)} | {ratio(m_on, m_off)} | {alloc([x for _, x in off])} | {alloc([x for _, x in on])} |")
