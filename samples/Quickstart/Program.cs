// Quickstart: typed records through a Durable Stream, written by one task and followed live by another.
// Usage: dotnet run --project samples/Quickstart [-- <server base URL>]
// Without a URL (argument or DURABLE_STREAMS_URL) it starts the embedded .NET server in this process.
using System.Text.Json.Serialization;
using DurableStreams;
using DurableStreams.Server;

var url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("DURABLE_STREAMS_URL");
await using var localServer = url is null ? await DurableStreamsServer.StartAsync() : null;
var baseAddress = localServer?.BaseAddress ?? new Uri(url!.TrimEnd('/') + "/");
Console.WriteLine($"server   {baseAddress}{(localServer is null ? "" : " (embedded, in process)")}");

using var client = new DurableStreamClient(baseAddress);
var orders = await client.CreateStreamAsync($"quickstart/orders-{Guid.NewGuid():N}",
    new CreateStreamOptions { ContentType = "application/json", Ttl = TimeSpan.FromHours(1) });
Console.WriteLine($"created  {orders.Url}");

// Follow the stream live over SSE before anything is written.
await using var live = await orders.ReadAsync(new ReadOptions { Offset = Offset.Beginning, Live = LiveMode.Sse });
var received = new List<OrderPlaced>();
var reader = Task.Run(async () =>
{
    await foreach (var e in live.ReadEventsAsync(QuickstartJson.Default.OrderPlaced))
    {
        received.Add(e.Data);
        Console.WriteLine($"read     {e.Data.OrderId} {e.Data.Total,8:0.00}  next offset {e.NextOffset}{(e.StreamClosed ? " (end of stream)" : "")}");
    }
});

var written = new[]
{
    new OrderPlaced("o-1", 42.00m, DateTimeOffset.UtcNow),
    new OrderPlaced("o-2", 17.50m, DateTimeOffset.UtcNow),
    new OrderPlaced("o-3", 99.90m, DateTimeOffset.UtcNow),
};
// Appended concurrently: the client batches them into as few POSTs as it can, in order.
var appends = written.Select(order => orders.AppendJsonAsync(order, QuickstartJson.Default.OrderPlaced)).ToArray();
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
await using var replay = await orders.ReadAsync();
var replayed = await replay.ReadAllJsonAsync(QuickstartJson.Default.OrderPlaced);

var ok = received.SequenceEqual(written) && replayed.SequenceEqual(written);
Console.WriteLine(ok ? "ok       live and catch-up reads match what was written" : "MISMATCH between what was written and what was read");
return ok ? 0 : 1;

/// <summary>An order event, as the stream carries it.</summary>
internal sealed record OrderPlaced(string OrderId, decimal Total, DateTimeOffset At);

[JsonSerializable(typeof(OrderPlaced))]
internal sealed partial class QuickstartJson : JsonSerializerContext;
