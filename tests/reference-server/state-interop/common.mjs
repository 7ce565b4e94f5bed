// Shared by the State Protocol interop scripts: argument checks, reading a state stream with the
// TypeScript client, and materialising it with @durable-streams/state's MaterializedState.
import { DurableStream } from "@durable-streams/client";
import { MaterializedState, isChangeEvent, isControlEvent } from "@durable-streams/state";

/** The stream URL given as the first argument; exits with a usage message otherwise. */
export function streamUrlArgument(script) {
  const url = process.argv[2];
  if (!url || !/^https?:\/\//.test(url)) {
    process.stderr.write(`usage: node ${script} <stream-url>\n`);
    process.exit(2);
  }
  return url;
}

/** Every JSON item of the stream from its beginning up to its current end. */
export async function readAll(url) {
  const handle = new DurableStream({ url, contentType: "application/json" });
  const response = await handle.stream({ json: true, live: false });
  return await response.json();
}

/**
 * Applies the items in stream order the way an application on MaterializedState does: change events
 * go to `apply`, `reset` clears the state, snapshot boundaries need nothing (MaterializedState has no
 * staging). Returns the state (type -> key -> value, empty types left out) and the txids seen.
 */
export function materialise(items) {
  const state = new MaterializedState();
  const txids = new Set();
  for (const item of items) {
    if (isControlEvent(item)) {
      if (item.headers.control === "reset") state.clear();
      continue;
    }
    if (!isChangeEvent(item)) throw new Error(`not a state event: ${JSON.stringify(item)}`);
    state.apply(item);
    if (typeof item.headers.txid === "string") txids.add(item.headers.txid);
  }
  const types = {};
  for (const type of state.types) {
    const entities = state.getType(type);
    if (entities.size === 0) continue;
    types[type] = Object.fromEntries(entities);
  }
  return { state: types, txids: [...txids].sort() };
}

/** Runs main, printing its result as one JSON line; any failure goes to stderr with exit code 1. */
export function run(main) {
  main().then(
    (result) => process.stdout.write(JSON.stringify(result) + "\n"),
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
