// Starts the reference Durable Streams server on 127.0.0.1 and prints one JSON line
// {"url": "..."} on stdout once it listens. Stops when stdin closes or on SIGTERM/SIGINT,
// so a test fixture that dies never leaves the server behind.
//
// Options (environment): DS_PORT (default 0 = ephemeral), DS_LONG_POLL_TIMEOUT_MS
// (default 500, what the conformance cases assume), DS_COMPRESSION (default "true"),
// DS_WEBHOOKS (default "false": webhook subscriptions refused; pull-wake works either way).
import { DurableStreamTestServer } from "@durable-streams/server";

const server = new DurableStreamTestServer({
  host: "127.0.0.1",
  port: Number(process.env.DS_PORT ?? 0),
  longPollTimeout: Number(process.env.DS_LONG_POLL_TIMEOUT_MS ?? 500),
  compression: (process.env.DS_COMPRESSION ?? "true") !== "false",
  webhooks: process.env.DS_WEBHOOKS === "true",
});

const url = await server.start();
process.stdout.write(JSON.stringify({ url }) + "\n");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
}

process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
