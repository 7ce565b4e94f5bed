// The TypeScript side of the end-to-end benchmark. The .NET program starts it once and sends one
// JSON command per stdin line; each answer is one JSON line on stdout. Scenarios mirror the .NET
// ones in bench/DurableStreams.Bench.EndToEnd/Scenarios: same messages, same concurrency, same server.
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { DurableStream, IdempotentProducer, stream } from "@durable-streams/client";

const PAYLOAD = "x".repeat(48);
const message = (caller, seq) => JSON.stringify({ caller, seq, at: Date.now(), payload: PAYLOAD });
const share = (total, callers, c) => Math.floor(total / callers) + (c < total % callers ? 1 : 0);

function cpuMs(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// RSS growth at the peak while `work` runs, sampled every 5 ms (the event loop yields between network chunks).
async function withPeakRss(work) {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  try {
    const result = await work();
    return { result, growth: Math.max(peak, process.memoryUsage.rss()) - start };
  } finally {
    clearInterval(timer);
  }
}

// 64 callers, each awaiting its own appends in order; overlapping calls are batched by the client.
async function append({ url, messages, callers }) {
  const handle = new DurableStream({ url, contentType: "application/json" });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: callers }, async (_, c) => {
    const n = share(messages, callers, c);
    for (let i = 0; i < n; i++) await handle.append(message(c, i));
  }));
  return { wallMs: performance.now() - t0, cpuMs: cpuMs(cpu) };
}

// The idempotent producer: appends are fire-and-forget, flush waits until all are stored.
async function producer({ url, messages, callers, producerId }) {
  const handle = new DurableStream({ url, contentType: "application/json" });
  const p = new IdempotentProducer(handle, producerId, { epoch: 0 });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: callers }, async (_, c) => {
    const n = share(messages, callers, c);
    for (let i = 0; i < n; i++) {
      p.append(message(c, i));
      if (i % 64 === 63) await null; // let the other callers interleave, as concurrent callers would
    }
  }));
  await p.flush();
  const wallMs = performance.now() - t0;
  const cpu1 = cpuMs(cpu);
  await p.detach?.();
  return { wallMs, cpuMs: cpu1 };
}

// Catch-up read of the whole stream, decoded into objects (json(): the client's fastest JSON path).
async function read({ url }) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const { result: count, growth } = await withPeakRss(async () => {
    const res = await stream({ url, offset: "-1", live: false, json: true });
    const items = await res.json();
    let n = 0;
    for (const item of items) if (item.seq >= 0) n++;
    return n;
  });
  return { wallMs: performance.now() - t0, cpuMs: cpuMs(cpu), count, peakRssGrowthBytes: growth };
}

// Append-to-delivery latency: one message at a time, the next only after the previous was delivered.
async function latency({ url, messages, warmup, live }) {
  const handle = new DurableStream({ url, contentType: "application/json" });
  const sentAt = new Map();
  const latencies = [];
  let waiter = null;
  const res = await handle.stream({ offset: "now", live, json: true });
  res.subscribeJson((batch) => {
    const now = performance.now();
    for (const item of batch.items) {
      const at = sentAt.get(item.seq);
      if (at !== undefined && item.seq >= warmup) latencies.push(now - at);
      if (waiter && item.seq === waiter.seq) { const w = waiter; waiter = null; w.resolve(); }
    }
  });
  for (let i = 0; i < warmup + messages; i++) {
    const delivered = new Promise((resolve) => { waiter = { seq: i, resolve }; });
    sentAt.set(i, performance.now());
    await handle.append(message(0, i));
    await delivered;
  }
  res.cancel();
  return { latenciesMs: latencies };
}

// Create latency: `count` streams created one after another with the client's own create (PUT, JSON), each timed.
async function create({ urlPrefix, count }) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await DurableStream.create({ url: urlPrefix + i, contentType: "application/json" });
    latencies.push(performance.now() - t0);
  }
  return { latenciesMs: latencies };
}

const commands = { append, producer, read, latency, create };
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const command = JSON.parse(line);
  try {
    const result = await commands[command.cmd](command);
    process.stdout.write(JSON.stringify({ ok: true, ...result }) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }) + "\n");
  }
}
