// Observability: one run of the client against the embedded server, traced and measured with OpenTelemetry.
// Usage: dotnet run --project samples/Observability
// The console exporter prints every span as it ends (the sample's steps, the client's operations, the HTTP
// requests under them and the server's side of each request), then, when the providers are disposed at the
// end, every metric the client and the server recorded.
using System.Diagnostics;
using System.Text.Json.Serialization;
using DurableStreams;
using DurableStreams.Server;
using Observability;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

using var sample = new ActivitySource("Observability.Sample"); // the app's own spans: one per step below

var tracing = Sdk.CreateTracerProviderBuilder()
    .ConfigureResource(resource => resource.AddService("observability-sample"))
    .AddSource(sample.Name)
    .AddSource(DurableStreamsTelemetry.ActivitySourceName) // the client's spans
    .AddSource(DurableStreamsServerTelemetry.ActivitySourceName) // the embedded server's spans
    .AddHttpClientInstrumentation()  // each HTTP request, nested under the client span that sent it
    .AddAspNetCoreInstrumentation()  // the server's side of each request, continuing the client's trace
    .AddConsoleExporter()
    .Build();
var metrics = Sdk.CreateMeterProviderBuilder()
    .ConfigureResource(resource => resource.AddService("observability-sample"))
    .AddMeter(DurableStreamsTelemetry.MeterName) // the client's instruments
    .AddMeter(DurableStreamsServerTelemetry.MeterName) // the embedded server's instruments
    .AddConsoleExporter()
    .Build();

var server = await DurableStreamsServer.StartAsync();
Print($"server    {server.BaseAddress} (embedded, in process)");
var client = new DurableStreamClient(server.BaseAddress);
var readings = ReadingStream.For(client, site: $"plant-{Guid.NewGuid():N}");

using (Begin("create stream"))
{
    await readings.CreateAsync(ttl: TimeSpan.FromHours(1));
    Print($"created   {readings.Url}");
}

using (Begin("append from 5 callers"))
{
    // Five concurrent callers: the client gathers their messages into as few POSTs as it can, in order.
    var appends = Enumerable.Range(1, 5).Select(i => readings.AppendAsync(new Reading($"s-{i}", 20 + i))).ToArray();
    await Task.WhenAll(appends);
    Print($"appended  5 readings from 5 callers; tail {appends[^1].Result.Offset}");
}

using (Begin("idempotent producer"))
{
    // Exactly-once appends: batches carry the producer's id, epoch and sequence number.
    await using var producer = readings.CreateProducer(new IdempotentProducerOptions { ProducerId = "sensor-gateway" });
    for (var i = 1; i <= 5; i++) await producer.AppendAsync(new Reading("gateway", 30 + i));
    await producer.FlushAsync();
    Print($"produced  5 readings as producer {producer.ProducerId}, epoch {producer.Epoch}");
}

using (Begin("catch-up then live read"))
{
    // Reads the 10 stored readings (catch-up), then follows the stream over SSE for 2 more (live).
    var received = 0;
    Task? late = null;
    await foreach (var e in readings.ReadEventsAsync(Offset.Beginning, LiveMode.Sse).WithCancellation(Timeout(30)))
    {
        Print($"read      {e.Data.Sensor,-8} {e.Data.Value,5:0.0}  position {e.Position}");
        if (++received == 10) // caught up: two more readings now arrive live
            late = readings.AppendManyAsync([new Reading("late", 41), new Reading("late", 42)]);
        if (received == 12) break; // leaving the loop closes the SSE connection
    }
    await late!;
}

using (Begin("failed create"))
{
    // A failure on purpose: the stream exists with another TTL, so the server answers 409 Conflict.
    try
    {
        await readings.CreateAsync(ttl: TimeSpan.FromHours(2));
        Print("UNEXPECTED: the conflicting create succeeded");
        return 1;
    }
    catch (DurableStreamException ex)
    {
        Print($"failed    as expected: {ex.GetType().Name}, code {ex.Code}: {ex.Message}");
    }
}

client.Dispose();
await server.DisposeAsync();
Print("flushing  the providers: the console exporter prints the last spans, then every metric");
tracing.Dispose(); // flushes what is still buffered
metrics.Dispose(); // collects and prints the metrics once
Print("done");
return 0;

// Each step prints a heading, then its spans as they end, then its own span (the parent of the others).
Activity? Begin(string step)
{
    Console.WriteLine($"\n######## {step}");
    return sample.StartActivity(step);
}
static void Print(string line) => Console.WriteLine($"==> {line}");
static CancellationToken Timeout(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

namespace Observability
{
    /// <summary>A sensor reading; the attribute declares the stream that carries it.</summary>
    [DurableStream("observability/readings/{site}")]
    public sealed record Reading(string Sensor, double Value);

    /// <summary>System.Text.Json metadata the generated stream class decodes through (no reflection).</summary>
    [JsonSerializable(typeof(Reading))]
    internal sealed partial class ObservabilityJson : JsonSerializerContext;
}
