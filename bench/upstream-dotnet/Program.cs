using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DurableStreams;

// The upstream C# client's side of the end-to-end bench, with the client's own defaults. Same protocol as
// bench/ts/driver.mjs: one JSON command per stdin line, one JSON answer per stdout line
// ({"ok":true,...} or {"ok":false,"error":...}). Same messages and concurrency as the other two clients.
var filler = new string('x', 48);
await using var client = new DurableStreamClient(new DurableStreamClientOptions());

string Message(int caller, int seq) =>
    $"{{\"caller\":{caller},\"seq\":{seq},\"at\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()},\"payload\":\"{filler}\"}}";

static int Share(int total, int callers, int c) => total / callers + (c < total % callers ? 1 : 0);

static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

// Callers each await their own appends in order. The client has no automatic batching: one POST per append.
async Task<JsonObject> AppendAsync(JsonObject command)
{
    // ConnectAsync (a HEAD, untimed) gives the handle the stream's content type; GetStream alone posts octet-stream.
    var stream = await client.ConnectAsync(Text(command, "url")).ConfigureAwait(false);
    int messages = Int(command, "messages"), callers = Int(command, "callers");
    var cpu = CpuMs();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var n = Share(messages, callers, c);
        for (var i = 0; i < n; i++) await stream.AppendAsync(Message(c, i)).ConfigureAwait(false);
    }))).ConfigureAwait(false);
    return new JsonObject { ["wallMs"] = clock.Elapsed.TotalMilliseconds, ["cpuMs"] = CpuMs() - cpu };
}

// Its IdempotentProducer with default options (linger 5 ms, batches up to 1 MiB, 5 in flight): fire-and-forget Append, then FlushAsync.
async Task<JsonObject> ProducerAsync(JsonObject command)
{
    var stream = await client.ConnectAsync(Text(command, "url")).ConfigureAwait(false);
    int messages = Int(command, "messages"), callers = Int(command, "callers");
    var producer = stream.CreateProducer(Text(command, "producerId"));
    Exception? error = null;
    producer.OnError += (_, e) => error ??= e.Exception;
    await using (producer.ConfigureAwait(false))
    {
        var cpu = CpuMs();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(() =>
        {
            var n = Share(messages, callers, c);
            for (var i = 0; i < n; i++) producer.Append(Message(c, i));
        }))).ConfigureAwait(false);
        await producer.FlushAsync().ConfigureAwait(false);
        var result = new JsonObject { ["wallMs"] = clock.Elapsed.TotalMilliseconds, ["cpuMs"] = CpuMs() - cpu };
        if (error is not null) throw new InvalidOperationException("producer reported an error", error);
        return result;
    }
}

// Catch-up read decoded into objects with its typed JSON path (ReadAllJsonAsync<T>, reflection-based System.Text.Json).
async Task<JsonObject> ReadAsync(JsonObject command)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var startSet = Environment.WorkingSet;
    var peak = startSet;
    using var sampler = new Timer(_ => { var now = Environment.WorkingSet; if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now); }, null, 0, 5);
    var cpu = CpuMs();
    var clock = Stopwatch.StartNew();
    var count = 0;
    var response = await client.GetStream(Text(command, "url")).StreamAsync(new StreamOptions { Offset = Offset.Beginning, Live = LiveMode.Off }).ConfigureAwait(false);
    await using (response.ConfigureAwait(false))
    {
        foreach (var record in await response.ReadAllJsonAsync<Record>().ConfigureAwait(false))
            if (record.Seq >= 0) count++;
    }
    var wall = clock.Elapsed.TotalMilliseconds;
    var cpuMs = CpuMs() - cpu;
    var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Math.Max(count, 1);
    return new JsonObject
    {
        ["wallMs"] = wall, ["cpuMs"] = cpuMs, ["count"] = count,
        ["peakRssGrowthBytes"] = Math.Max(Interlocked.Read(ref peak), Environment.WorkingSet) - startSet,
        ["allocatedBytesPerMessage"] = perMessage,
    };
}

// Append-to-delivery latency: one message at a time, the next once the subscriber has the previous.
async Task<JsonObject> LatencyAsync(JsonObject command)
{
    int messages = Int(command, "messages"), warmup = Int(command, "warmup"), total = messages + warmup;
    var stream = client.GetStream(Text(command, "url"));
    // Its StreamAsync returns only after the first response: a long-poll from "now" would hold for the server's
    // 30 s before any append. So the read starts from the tail offset (HEAD, which also gives the handle its
    // content type) and is opened on the reader's task while the appends begin.
    var tail = (await stream.HeadAsync().ConfigureAwait(false)).Offset ?? Offset.Beginning;
    var live = Text(command, "live") == "sse" ? LiveMode.Sse : LiveMode.LongPoll;
    var sentAt = new long[total];
    var receivedAt = new long[total];
    var delivered = Enumerable.Range(0, total).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
    using var stop = new CancellationTokenSource();
    var opened = stream.StreamAsync(new StreamOptions { Offset = tail, Live = live }, stop.Token);
    var reader = Task.Run(async () =>
    {
        var response = await opened.ConfigureAwait(false);
        await foreach (var batch in response.ReadJsonBatchesAsync<Record>(stop.Token).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var record in batch.Items)
            {
                receivedAt[record.Seq] = now;
                delivered[record.Seq].TrySetResult();
            }
        }
    });
    for (var i = 0; i < total; i++)
    {
        sentAt[i] = Stopwatch.GetTimestamp();
        await stream.AppendAsync(Message(0, i)).ConfigureAwait(false);
        await delivered[i].Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }
    // Stop reading as the TS driver does (res.cancel(), not awaited): a long-poll in flight may not notice the
    // cancellation until the server's 30 s hold ends, and waiting for it would only slow the bench down.
    (await opened.ConfigureAwait(false)).Cancel();
    await stop.CancelAsync().ConfigureAwait(false);
    try { await reader.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false); }
    catch (OperationCanceledException) { }
    catch (TimeoutException) { }
    catch (DurableStreamException) { }
    catch (HttpRequestException) { }
    if (reader.IsCompleted) await (await opened.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
    var latencies = new JsonArray();
    for (var i = warmup; i < total; i++) latencies.Add(Stopwatch.GetElapsedTime(sentAt[i], receivedAt[i]).TotalMilliseconds);
    return new JsonObject { ["latenciesMs"] = latencies };
}

// Create latency: `count` streams created one after another (PUT, JSON content type), each timed on its own.
async Task<JsonObject> CreateAsync(JsonObject command)
{
    var prefix = Text(command, "urlPrefix");
    var latencies = new JsonArray();
    for (var i = 0; i < Int(command, "count"); i++)
    {
        var started = Stopwatch.GetTimestamp();
        await client.CreateStreamAsync(prefix + i, new CreateStreamOptions { ContentType = "application/json" }).ConfigureAwait(false);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return new JsonObject { ["latenciesMs"] = latencies };
}

var commands = new Dictionary<string, Func<JsonObject, Task<JsonObject>>>
{
    ["append"] = AppendAsync, ["producer"] = ProducerAsync, ["read"] = ReadAsync, ["latency"] = LatencyAsync, ["create"] = CreateAsync,
};
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
{
    if (string.IsNullOrWhiteSpace(line)) continue;
    JsonObject answer;
    try
    {
        var command = JsonNode.Parse(line)!.AsObject();
        answer = await commands[Text(command, "cmd")](command).ConfigureAwait(false);
        answer["ok"] = true;
    }
    catch (Exception error)
    {
        answer = new JsonObject { ["ok"] = false, ["error"] = error.ToString() };
    }
    await stdout.WriteLineAsync(answer.ToJsonString()).ConfigureAwait(false);
}

static string Text(JsonObject command, string name) => command[name]!.GetValue<string>();

static int Int(JsonObject command, string name) => command[name]!.GetValue<int>();

/// <summary>The bench message as the upstream client decodes it.</summary>
internal sealed class Record
{
    [JsonPropertyName("caller")] public int Caller { get; set; }
    [JsonPropertyName("seq")] public int Seq { get; set; }
    [JsonPropertyName("at")] public long At { get; set; }
    [JsonPropertyName("payload")] public string? Payload { get; set; }
}
