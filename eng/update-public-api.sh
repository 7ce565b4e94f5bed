#!/usr/bin/env bash
# Records the current public API of every shipped project in its PublicAPI.Unshipped.txt, from the
# analyzer's own RS0016 ("not part of the declared API") and RS0017 ("declared but gone") reports.
# Review the diff: every line it adds or removes is a public API change.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/DurableStreams src/DurableStreams.Extensions.Hosting src/DurableStreams.Server; do
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$project/$file" ] || printf '#nullable enable\n' > "$project/$file"
  done
  log=$(mktemp)
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= \
    -clp:NoSummary > "$log" 2>&1 || true
  python3 - "$project" "$log" <<'PY'
import re, sys
project, log = sys.argv[1], sys.argv[2]
name = project.rstrip('/').split('/')[-1]
added, removed = set(), set()
for line in open(log, encoding='utf-8'):
    if f'/{name}.csproj' not in line: continue
    m = re.search(r"warning RS0016: Symbol '(.+)' is not part of the declared public API", line)
    if m: added.add(m.group(1))
    m = re.search(r"warning RS0017: Symbol '(.+)' is part of the declared API, but is either not public or could not be found", line)
    if m: removed.add(m.group(1))
path = f'{project}/PublicAPI.Unshipped.txt'
lines = [l.rstrip('\n') for l in open(path, encoding='utf-8') if l.strip() and not l.startswith('#nullable')]
lines = sorted((set(lines) - removed) | added, key=str.lower)
open(path, 'w', encoding='utf-8').write('#nullable enable\n' + ''.join(l + '\n' for l in lines))
print(f'{project}: +{len(added)} -{len(removed)} ({len(lines)} entries)')
PY
  rm -f "$log"
done
