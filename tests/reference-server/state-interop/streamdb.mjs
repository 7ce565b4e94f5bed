// node streamdb.mjs <stream-url> <collections-json> <txid>...
// Follows a State Protocol stream live with @durable-streams/state's createStreamDB (TanStack DB collections,
// @tanstack/db): prints {"ready": true} once preloaded, then waits for each txid with db.utils.awaitTxId and prints
// {"state": {type: {key: value}}, "txids": [the awaited txids]}. <collections-json> is
// [{"name": ..., "type": ..., "primaryKey": ...}, ...]. StreamDB stores a copy of each value with its primary key set to
// the message key, an insertion counter (_seq) and TanStack's virtual $-fields: those two are left out here.
import { createStateSchema } from "@durable-streams/state";
import { createStreamDB } from "@durable-streams/state/db";
import { run, streamUrlArgument } from "./common.mjs";

const url = streamUrlArgument("streamdb.mjs");
const collections = JSON.parse(process.argv[3] ?? "[]");
const txids = process.argv.slice(4);
const anyValue = { "~standard": { version: 1, vendor: "interop-test", validate: (value) => ({ value }) } };
const added = new Set(["_seq", "$synced", "$origin", "$key", "$collectionId", "$hasPendingWrites"]);

run(async () => {
  const state = createStateSchema(
    Object.fromEntries(collections.map((c) => [c.name, { type: c.type, primaryKey: c.primaryKey, schema: anyValue }])),
  );
  const db = createStreamDB({ streamOptions: { url, contentType: "application/json" }, state });
  try {
    await db.preload();
    process.stdout.write(JSON.stringify({ ready: true }) + "\n");
    for (const txid of txids) await db.utils.awaitTxId(txid, 20000);
    const types = {};
    for (const { name, type } of collections) {
      const entities = {};
      for (const [key, row] of db.collections[name].entries())
        entities[key] = Object.fromEntries(Object.entries(row).filter(([field]) => !added.has(field)));
      if (Object.keys(entities).length) types[type] = entities;
    }
    return { state: types, txids: [...txids].sort() };
  } finally {
    db.close();
  }
});
