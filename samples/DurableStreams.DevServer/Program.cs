// A standalone Durable Streams server for development:
//   dotnet run --project samples/DurableStreams.DevServer -- --urls http://127.0.0.1:4437
// Options: --store memory|file   --data-dir ./data   --long-poll-timeout <seconds>   --sse-lifetime <seconds>
//          --max-read-bytes <bytes> (per catch-up or long-poll response; 64 MiB unless set)
//          --prefix /v1/stream ("/" serves streams at any path)   --test-faults true (POST /_test/inject-error; tests only)
//          --webhooks true (webhook subscriptions, local http://127.0.0.1 and localhost receivers allowed; development only)
//          --bench-diagnostics true (GET /_bench/memory: managed heap after a full collection and working set, in bytes; the server bench)
using System.Globalization;
using DurableStreams.Server;

var builder = WebApplication.CreateSlimBuilder(args);
var config = builder.Configuration;
if (string.IsNullOrEmpty(config["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:4437");
// As the ASP.NET Core templates' appsettings do: no console line per request (two per request cost more than serving it).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

builder.Services.AddDurableStreamsServer(options =>
{
    options.Store = string.Equals(config["store"], "file", StringComparison.OrdinalIgnoreCase)
        ? DurableStreamsStoreKind.File
        : DurableStreamsStoreKind.Memory;
    options.DataDirectory = config["data-dir"] ?? Path.Combine(Environment.CurrentDirectory, "durable-streams-data");
    if (Seconds(config["long-poll-timeout"]) is { } longPoll) options.LongPollTimeout = longPoll;
    if (Seconds(config["sse-lifetime"]) is { } sse) options.SseConnectionLifetime = sse;
    if (config["max-read-bytes"] is { } maxRead)
    {
        options.MaxReadBytes = long.TryParse(maxRead, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new ArgumentException($"--max-read-bytes takes a number of bytes, not '{maxRead}'.");
    }
    options.EnableTestFaultInjection = string.Equals(config["test-faults"], "true", StringComparison.OrdinalIgnoreCase);
    var webhooks = string.Equals(config["webhooks"], "true", StringComparison.OrdinalIgnoreCase);
    options.Subscriptions.EnableWebhooks = webhooks;
    options.Subscriptions.AllowLocalhostWebhooks = webhooks;
});

var prefix = config["prefix"] ?? "/v1/stream";
var app = builder.Build();
app.UseCors(); // the server's CORS policy (any origin) for browser clients
app.MapDurableStreams(prefix);
if (string.Equals(config["bench-diagnostics"], "true", StringComparison.OrdinalIgnoreCase))
{
    app.MapGet("/_bench/memory", () =>
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Results.Text(string.Create(CultureInfo.InvariantCulture, $"{GC.GetTotalMemory(false)} {Environment.WorkingSet}"));
    });
}
app.Logger.LogInformation("Durable Streams dev server: streams under {Prefix} ({Store} store)", prefix, config["store"] ?? "memory");
await app.RunAsync();

static TimeSpan? Seconds(string? value) =>
    double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
