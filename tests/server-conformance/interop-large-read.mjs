// Interop check with the official TypeScript client (@durable-streams/client, pinned in package.json):
// writes about 6 MiB of JSON messages to a server through the client, then reads the stream back with live
// mode off and checks every message, in order.
//
// That client ends a read with live off at its first response, even one without Stream-Up-To-Date, and drops
// the rest. So a server whose read cap is below the stream's size loses data for it silently; the .NET
// server's default MaxReadBytes (64 MiB) is chosen so this does not happen on the common case.
//
// Usage: node interop-large-read.mjs <stream root URL> [--expect whole|truncated]
//   whole (default): every message must come back. truncated: the read must stop short with an exact prefix
//   (run against a server with a small --max-read-bytes, it shows this script can see the loss).
import { DurableStream, stream } from "@durable-streams/client"

const [root, flag, expectArg] = process.argv.slice(2)
const expect = flag === "--expect" ? expectArg : "whole"
if (!root || !["whole", "truncated"].includes(expect)) {
  console.error("usage: node interop-large-read.mjs <stream root URL> [--expect whole|truncated]")
  process.exit(2)
}

const count = 1536
const padding = "x".repeat(4096 - 40) // about 4 KiB per message, 6 MiB in all
const url = `${root.replace(/\/$/, "")}/interop-large-read-${Date.now()}-${process.pid}`

const handle = await DurableStream.create({ url, contentType: "application/json" })
// Appends fired together are batched by the client into JSON-array POSTs; groups keep the batches moderate.
for (let start = 0; start < count; start += 128) {
  const group = []
  for (let i = start; i < Math.min(start + 128, count); i++) group.push(handle.append(JSON.stringify({ i, padding })))
  await Promise.all(group)
}
const written = (await handle.head()).offset

const response = await stream({ url, live: false })
const items = await response.json()

const inOrder = items.every((item, index) => item.i === index && item.padding === padding)
const megabytes = ((count * 4096) / (1024 * 1024)).toFixed(1)
console.log(`interop-large-read: wrote ${count} JSON messages (~${megabytes} MiB, tail ${written}); ` +
  `@durable-streams/client read back ${items.length} with live off (expect ${expect})`)
await handle.delete().catch(() => {})

if (!inOrder) {
  console.error("interop-large-read: FAILED, the messages read back are not the ones written, in order")
  process.exit(1)
}
if (expect === "whole" && items.length !== count) {
  console.error(`interop-large-read: FAILED, ${count - items.length} messages silently missing`)
  process.exit(1)
}
if (expect === "truncated" && items.length >= count) {
  console.error("interop-large-read: FAILED, expected the read to stop short under a small read cap")
  process.exit(1)
}
console.log("interop-large-read: ok")
