// node write-events.mjs <stream-url> <scenario>
// Appends to an existing JSON stream events built by @durable-streams/state's schema helpers, some through
// @durable-streams/client (one event per append) and some with plain fetch (several events in one append).
// Prints {"appended": N, "lastTxId": "..."} (the txid of the last event). Scenarios: "changes" (every
// operation, several types, a snapshot block), "reset" (state, a reset, then new state) and "tolerated" (deletes
// of absent keys, unmatched snapshot boundaries).
import { DurableStream } from "@durable-streams/client";
import { createStateSchema } from "@durable-streams/state";
import { run, streamUrlArgument } from "./common.mjs";

const url = streamUrlArgument("write-events.mjs");
const scenario = process.argv[3];

// A minimal Standard Schema (what createStateSchema validates values with): objects holding `required`.
function objectSchema(name, required) {
  return {
    "~standard": {
      version: 1,
      vendor: "interop-test",
      validate(value) {
        if (typeof value !== "object" || value === null || Array.isArray(value))
          return { issues: [{ message: `${name} must be an object` }] };
        const missing = required.filter((field) => !(field in value));
        return missing.length ? { issues: missing.map((f) => ({ message: `${name}.${f} is required` })) } : { value };
      },
    },
  };
}
const anyValue = { "~standard": { version: 1, vendor: "interop-test", validate: (value) => ({ value }) } };

const schema = createStateSchema({
  users: { type: "user", primaryKey: "id", schema: objectSchema("user", ["id", "name"]) },
  messages: { type: "message", primaryKey: "id", schema: objectSchema("message", ["id", "text"]) },
  settings: { type: "config", primaryKey: "name", schema: anyValue },
});
const { users, messages, settings } = schema;
const control = (name) => ({ headers: { control: name } });
const tx = (txid) => ({ txid });

// The caller created the stream (and may already be reading it live).
const handle = new DurableStream({ url, contentType: "application/json" });
let appended = 0;

async function appendOne(event) {
  await handle.append(JSON.stringify(event));
  appended++;
}

async function appendMany(events) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  if (!response.ok) throw new Error(`append of ${events.length} events: HTTP ${response.status} ${await response.text()}`);
  appended += events.length;
}

const ada = {
  id: "u1",
  name: "Ada Lovelace",
  tags: ["math", "poetry"],
  address: { city: "London", geo: { lat: 51.5074, lng: -0.1278 }, lines: ["12 St James's Sq", null] },
  active: true,
  score: 0.1,
};

const m1 = { id: "m1", text: "héllo wörld ✓ 日本語 👩‍💻 e\u0301", meta: { rtl: "مرحبا", quote: "\"q\" \\ /", nl: "a\nb\tc\u0000" } };

async function changes() {
  await appendOne(users.insert({ value: ada, headers: tx("tx-1") }));
  await appendOne(users.insert({ value: { id: "u2", name: "Grace", langs: ["COBOL"] }, headers: tx("tx-1") }));
  await appendMany([
    messages.insert({ value: m1, headers: tx("tx-2") }),
    messages.insert({ value: { id: "m2", text: "to be deleted", control: "\u0001\u001f" }, headers: tx("tx-2") }),
    settings.insert({ key: "theme", value: "dark", headers: tx("tx-2") }),
    settings.insert({ key: "limits", value: { max: 10, nested: { deep: { deeper: [1, [2, [3, { x: -1.5e-7 }]]] } } }, headers: tx("tx-2") }),
    settings.insert({ key: "ключ-🔑", value: 42, headers: tx("tx-2") }),
    // The helpers cannot build a null value (they read its primary key), so this one is written by hand.
    { type: "config", key: "nothing", value: null, headers: { operation: "insert", txid: "tx-2" } },
  ]);
  await appendOne(users.update({ value: { ...ada, name: "Augusta Ada King", score: 1e21 }, oldValue: ada, headers: tx("tx-3") }));
  await appendOne(users.upsert({ value: { id: "u3", name: "Brand new" }, headers: tx("tx-4") }));
  await appendOne(users.upsert({ value: { id: "u2", name: "Grace Hopper", langs: ["COBOL", "FLOW-MATIC"] }, headers: tx("tx-4") }));
  await appendOne(messages.delete({ key: "m2", headers: tx("tx-5") }));
  await appendOne(users.delete({ oldValue: { id: "u3", name: "Brand new" }, headers: tx("tx-5") }));
  await appendOne(control("snapshot-start"));
  await appendMany([
    users.insert({ value: { id: "u4", name: "Snapshot user ☃" }, headers: tx("tx-6") }),
    settings.upsert({ key: "theme", value: "light", headers: tx("tx-6") }),
    messages.update({ value: { ...m1, edits: 1 }, oldValue: m1, headers: tx("tx-6") }),
    settings.delete({ key: "limits", headers: tx("tx-6") }),
  ]);
  await appendOne(control("snapshot-end"));
  await appendOne(settings.insert({ key: "flag", value: true }));
  await appendOne(settings.upsert({ key: "list", value: [1, "two", { three: 3 }, [], {}], headers: tx("tx-7") }));
  return "tx-7";
}

async function reset() {
  await appendOne(users.insert({ value: { id: "u1", name: "before reset" }, headers: tx("r-1") }));
  await appendOne(messages.insert({ value: { id: "m1", text: "gone after the reset" }, headers: tx("r-1") }));
  await appendOne(settings.insert({ key: "theme", value: "dark", headers: tx("r-1") }));
  await appendOne(control("reset"));
  await appendOne(users.insert({ value: { id: "u1", name: "after reset", note: "Zoë 🚀" }, headers: tx("r-2") }));
  await appendOne(control("snapshot-start"));
  await appendOne(users.insert({ value: { id: "u2", name: "in the snapshot" }, headers: tx("r-3") }));
  await appendOne(settings.upsert({ key: "theme", value: { mode: "high-contrast", scale: 1.25 }, headers: tx("r-3") }));
  await appendOne(control("snapshot-end"));
  await appendOne(users.update({ value: { id: "u2", name: "updated after the snapshot" }, headers: tx("r-4") }));
  return "r-4";
}

// What the helpers let a writer do and MaterializedState takes in its stride: deletes of keys that are not there
// (never written, already deleted, of a type never seen), a writer that restarts a snapshot it never ended, and a
// snapshot-end with no snapshot open.
async function tolerated() {
  await appendOne(users.insert({ value: { id: "u1", name: "kept" }, headers: tx("l-1") }));
  await appendOne(users.insert({ value: { id: "u2", name: "deleted twice" }, headers: tx("l-1") }));
  await appendOne(users.delete({ key: "u2", headers: tx("l-2") }));
  await appendOne(users.delete({ key: "u2", headers: tx("l-3") }));
  await appendOne(messages.delete({ key: "never-written", headers: tx("l-3") }));
  await appendOne(control("snapshot-start"));
  await appendOne(users.insert({ value: { id: "u3", name: "first attempt" }, headers: tx("l-4") }));
  await appendOne(control("snapshot-start"));
  await appendOne(users.upsert({ value: { id: "u3", name: "second attempt" }, headers: tx("l-5") }));
  await appendOne(users.delete({ key: "gone-before-the-snapshot", headers: tx("l-5") }));
  await appendOne(control("snapshot-end"));
  await appendOne(control("snapshot-end"));
  await appendOne(settings.insert({ key: "after", value: "all of it", headers: tx("l-6") }));
  return "l-6";
}

const scenarios = { changes, reset, tolerated };
run(async () => {
  if (!scenarios[scenario]) throw new Error(`unknown scenario '${scenario}' (known: ${Object.keys(scenarios).join(", ")})`);
  const lastTxId = await scenarios[scenario]();
  return { appended, lastTxId };
});
