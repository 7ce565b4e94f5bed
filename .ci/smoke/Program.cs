// The package smoke app: what a new user writes, built only from the packed packages. One ASP.NET Core app hosts
// the embedded server (DurableStreams.Server) and talks to it, or to the server named on the command line, through
// a client registered from configuration (DurableStreams.Extensions.Hosting) under the standard resilience handler,
// with the client-side health check.
using System.Text.Json.Serialization;
using DurableStreams;
using DurableStreams.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var port = FreePort();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
// appsettings.json configures the client; the server it talks to is this app's own unless one is named.
builder.Configuration["DurableStreams:BaseAddress"] = args.Length > 0 ? args[0].TrimEnd('/') + "/" : $"http://127.0.0.1:{port}/v1/stream/";
builder.Services.AddDurableStreamsServer(o => o.LongPollTimeout = TimeSpan.FromSeconds(3));
builder.Services.AddDurableStreams(builder.Configuration.GetSection("DurableStreams"))
    .AddStandardResilienceHandler(r =>
    {
        // Shorter than the server's long-poll hold: live reads must not be cut by them.
        r.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
        r.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(2);
    });
builder.Services.AddHealthChecks().AddDurableStreamsServer(); // the client-side check: the server answers

await using var app = builder.Build();
app.UseCors(); // the stream endpoints carry the server's CORS policy
app.MapDurableStreams("/v1/stream");
await app.StartAsync();

var client = app.Services.GetRequiredService<DurableStreamClient>();
var greetings = GreetingStream.For(client, run: Guid.NewGuid().ToString("N"));
await greetings.CreateAsync(ttl: TimeSpan.FromMinutes(10));

Greeting[] written = [new("hello", 1), new("world", 2)];
await greetings.AppendManyAsync(written);

// A live long-poll from the tail, answered by an append made after the resilience pipeline's timeouts passed.
var late = new Greeting("late", 3);
var appendLater = Task.Run(async () =>
{
    await Task.Delay(TimeSpan.FromSeconds(2.5));
    await greetings.AppendAsync(late);
});
Greeting? live = null;
using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
    await foreach (var message in greetings.ReadAsync(Offset.Now, LiveMode.LongPoll, timeout.Token))
    {
        live = message;
        break;
    }
await appendLater;
await greetings.CloseAsync();

var read = await greetings.ReadAllAsync(Offset.Beginning, LiveMode.Sse);
Greeting[] expected = [.. written, late];
if (live != late || !read.SequenceEqual(expected))
{
    Console.Error.WriteLine($"live read {live}; full read {read.Count} greetings that differ from the {expected.Length} written");
    return 1;
}
// Typed state from the packaged generator: a typed upsert, read back by another instance catching up.
var tallyRun = Guid.NewGuid().ToString("N");
await using (var tally = Tally.For(client, tallyRun))
{
    await tally.CreateAsync();
    await tally.Counters.UpsertAsync(new Counter("greetings", read.Count));
}
await using var tallyReader = Tally.For(client, tallyRun);
await tallyReader.CatchUpAsync();
if (!tallyReader.Counters.TryGetValue("greetings", out var counter) || counter.Value != read.Count)
{
    Console.Error.WriteLine($"typed state: read back {(counter is null ? "nothing" : counter.ToString())}, expected {read.Count} greetings");
    return 1;
}

var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
if (health.Status != HealthStatus.Healthy)
{
    Console.Error.WriteLine($"health check: {health.Status}: {string.Join("; ", health.Entries.Select(e => $"{e.Key}: {e.Value.Description}"))}");
    return 1;
}
Console.WriteLine($"package smoke: {read.Count} greetings round-tripped through {greetings.Url}, one of them live past the resilience timeouts; typed state read back; health check {health.Status}");
await app.StopAsync();
return 0;

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

[DurableStream("smoke/{run}/greetings")]
public sealed record Greeting(string Text, int Order);

[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Counter))]
internal sealed partial class SmokeJson : JsonSerializerContext;

[DurableStreams.State.StateEntity("counter")]
public sealed record Counter([DurableStreams.State.StateKey] string Name, int Value);

[DurableStreams.State.DurableState("smoke/{run}/tally")]
[DurableStreams.State.StateCollection<Counter>("Counters")]
public sealed partial class Tally;
