// Native AOT sample: generated typed streams and a generated typed state end to end. It creates two streams, appends typed records
// (one stream plain, one polymorphic through an exactly-once producer), reads them back while they are
// written (live, over SSE and long-poll) and afterwards (catch-up), and exits 0 only if every read
// returned exactly what was written.
// Usage: DurableStreams.Sample.Aot [server base URL]   (no URL: the embedded server runs in process)
using DurableStreams;
using DurableStreams.Sample.Aot;
using DurableStreams.Server;

// The embedded server is AOT-compatible too, so the native binary needs nothing else to run.
await using var embedded = args.Length == 0
    ? await DurableStreamsServer.StartAsync(new() { Subscriptions = { EnableWebhooks = true, AllowLocalhostWebhooks = true } })
    : null;
var baseAddress = embedded?.BaseAddress ?? new Uri(args[0].TrimEnd('/') + "/");
Console.WriteLine($"server   {baseAddress}{(embedded is null ? "" : " (embedded, in process)")}");

var patience = TimeSpan.FromSeconds(30);
using var client = new DurableStreamClient(baseAddress);
var run = Guid.NewGuid().ToString("N");

var orders = OrderPlacedStream.For(client, run);
var shipments = ShipmentEventStream.For(client, run);
await orders.CreateAsync(ttl: TimeSpan.FromHours(1));
await shipments.CreateAsync(ttl: TimeSpan.FromHours(1));
Console.WriteLine($"created  {orders.Url}");
Console.WriteLine($"created  {shipments.Url}");

// Live readers start before anything is written and end when their stream is closed.
var liveOrders = ReadToEndAsync(orders.ReadAsync(Offset.Beginning, LiveMode.Sse));
var liveShipments = ReadToEndAsync(shipments.ReadAsync(Offset.Beginning, LiveMode.LongPoll));

var now = DateTimeOffset.UtcNow;
OrderPlaced[] writtenOrders =
[
    new("o-1", 42.00m, now),
    new("o-2", 17.50m, now.AddSeconds(1)),
    new("o-3", 99.90m, now.AddSeconds(2)),
];
await orders.AppendAsync(writtenOrders[0]);
await orders.AppendManyAsync(writtenOrders[1..]);
await orders.CloseAsync();

ShipmentEvent[] writtenShipments =
[
    new ShipmentPacked("o-1", Parcels: 2),
    new ShipmentDelivered("o-1", now.AddHours(5)),
];
await using (var producer = shipments.CreateProducer(new IdempotentProducerOptions { ProducerId = $"aot-sample-{run}" }))
{
    await producer.AppendAsync(writtenShipments[0]);
    await producer.CloseStreamAsync(writtenShipments[1]);
}
Console.WriteLine($"appended {writtenOrders.Length} orders and {writtenShipments.Length} shipment events; both streams closed");

var checks = new (string Name, bool Ok)[]
{
    ("orders, live (SSE)", (await liveOrders.WaitAsync(patience)).SequenceEqual(writtenOrders)),
    ("orders, catch-up", (await orders.ReadAllAsync()).SequenceEqual(writtenOrders)),
    ("shipments, live (long-poll)", (await liveShipments.WaitAsync(patience)).SequenceEqual(writtenShipments)),
    ("shipments, catch-up", (await shipments.ReadAllAsync()).SequenceEqual(writtenShipments)),
    ("orders, checkpointed consumer", await ConsumerSample.RunAsync(client, orders, writtenOrders, run).WaitAsync(patience)),
    ("orders, webhook receiver", await WebhookSample.RunAsync(client, writtenOrders, run, patience)),
    ("orders, pull-wake workers", await PullWakeSample.RunAsync(client, writtenOrders, run, patience)),
    ("typed state, live (SSE) and resumed from a checkpoint", await StateSample.RunAsync(client, run, patience)),
};
foreach (var (name, ok) in checks)
    Console.WriteLine($"{(ok ? "ok      " : "MISMATCH")} {name}");
return checks.All(c => c.Ok) ? 0 : 1;

static async Task<List<T>> ReadToEndAsync<T>(IAsyncEnumerable<T> messages)
{
    var read = new List<T>();
    await foreach (var message in messages)
        read.Add(message);
    return read;
}
