// Quickstart: a typed stream declared with [DurableStream], written by one task and followed live by another.
// Usage: dotnet run --project samples/Quickstart [-- <server base URL>]
// Without a URL (argument or DURABLE_STREAMS_URL) it starts the embedded .NET server in this process.
using System.Text.Json.Serialization;
using DurableStreams;
using DurableStreams.Server;
using Quickstart;

var url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("DURABLE_STREAMS_URL");
await using var localServer = url is null ? await DurableStreamsServer.StartAsync() : null;
var baseAddress = localServer?.BaseAddress ?? new Uri(url!.TrimEnd('/') + "/");
Console.WriteLine($"server   {baseAddress}{(localServer is null ? "" : " (embedded, in process)")}");

using var client = new DurableStreamClient(baseAddress);

// OrderPlacedStream is generated from the [DurableStream] attribute below: {tenant} becomes a parameter.
var orders = OrderPlacedStream.For(client, tenant: $"acme-{Guid.NewGuid():N}");
await orders.CreateAsync(ttl: TimeSpan.FromHours(1));
Console.WriteLine($"created  {orders.Url}");

// Follow the stream live over SSE from the beginning; the read ends when the stream is closed.
var received = new List<OrderPlaced>();
var reader = Task.Run(async () =>
{
    await foreach (var e in orders.ReadEventsAsync(Offset.Beginning, LiveMode.Sse))
    {
        received.Add(e.Data);
        // e.Position resumes exactly after this order: the offset to save once it is processed.
        Console.WriteLine($"read     {e.Data.OrderId} {e.Data.Total,8:0.00}  position {e.Position}");
    }
});

var written = new[]
{
    new OrderPlaced("o-1", 42.00m, DateTimeOffset.UtcNow),
    new OrderPlaced("o-2", 17.50m, DateTimeOffset.UtcNow),
    new OrderPlaced("o-3", 99.90m, DateTimeOffset.UtcNow),
};
// Appended concurrently: the client batches them into as few POSTs as it can, in order.
var appends = written.Select(order => orders.AppendAsync(order)).ToArray();
await Task.WhenAll(appends);
Console.WriteLine($"appended {written.Length} orders; tail {appends[^1].Result.Offset}");

var closed = await orders.CloseAsync();
Console.WriteLine($"closed   final offset {closed.FinalOffset}");

if (await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(30))) != reader)
{
    Console.Error.WriteLine("the live reader did not see the end of the stream within 30 s");
    return 1;
}
await reader;

// A catch-up read from the start returns the same records.
var replayed = await orders.ReadAllAsync();

var ok = received.SequenceEqual(written) && replayed.SequenceEqual(written);
Console.WriteLine(ok ? "ok       live and catch-up reads match what was written" : "MISMATCH between what was written and what was read");
return ok ? 0 : 1;

namespace Quickstart
{
    /// <summary>An order event; the attribute declares the stream that carries it.</summary>
    [DurableStream("quickstart/orders/{tenant}")]
    public sealed record OrderPlaced(string OrderId, decimal Total, DateTimeOffset At);

    /// <summary>System.Text.Json metadata the generated stream class decodes through (no reflection).</summary>
    [JsonSerializable(typeof(OrderPlaced))]
    internal sealed partial class QuickstartJson : JsonSerializerContext;
}
