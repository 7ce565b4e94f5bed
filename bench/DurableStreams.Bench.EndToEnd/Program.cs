using System.Runtime;
using System.Text.Json;
using DurableStreams;
using DurableStreams.Bench.EndToEnd;
using DurableStreams.Bench.EndToEnd.Harness;
using DurableStreams.Bench.EndToEnd.Reporting;
using DurableStreams.Bench.EndToEnd.Scenarios;
using DurableStreams.Testing;

// One reference server on 127.0.0.1; each scenario run by this SDK and by the TypeScript client,
// alternating which goes first, for several rounds; medians and SDK/baseline ratios at the end.
// Numbers are reported, never asserted: the exit code is non-zero only on a crash or when the
// SDK's writes fail verification.
var options = BenchOptions.Parse(args);
var run = new Dictionary<string, string>
{
    ["command"] = "dotnet run -c Release --project bench/DurableStreams.Bench.EndToEnd -- " + string.Join(' ', args),
    ["machine"] = Report.Machine(),
    ["loadAtStart"] = Report.Load(),
    ["startedUtc"] = DateTimeOffset.UtcNow.ToString("u"),
    ["rounds"] = options.Rounds.ToString(),
    ["messages"] = options.Messages.ToString(),
    ["latencyMessages"] = options.LatencyMessages.ToString(),
    // Node's fetch asks for gzip and the server would compress reads >= 1 KB for it only: compression is
    // off so both clients move the same identity-encoded bytes over loopback.
    ["server"] = "@durable-streams/server 0.3.7, compression off, long-poll hold 30 s",
};
Console.WriteLine($"machine: {run["machine"]}; load: {run["loadAtStart"]}; rounds {options.Rounds}, {options.Messages} messages, {options.Callers} callers");

await using var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { LongPollTimeout = TimeSpan.FromSeconds(30), Compression = false });
await using var driver = await TsDriver.StartAsync();
using var sdkClient = new DurableStreamClient(server.BaseAddress);
using var adminClient = new DurableStreamClient(server.BaseAddress);
using var rawHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
var raw = new RawReader(rawHttp);
var serverCpu = new ServerCpu(server.ProcessId);
IClientScenarios sdk = new SdkScenarios(sdkClient), ts = new TsScenarios(driver);

var append = new Metric("append (64 callers, automatic batching)", "throughput", "msg/s", true, "ts", 2.0);
var producer = new Metric("idempotent producer (64 callers)", "throughput", "msg/s", true, "ts", 2.0);
var read = new Metric("catch-up read, typed", "throughput (wall)", "msg/s", true, "ts", 3.0);
var readCpu = new Metric("catch-up read, typed", "client CPU time", "ms", false, "ts", null);
var readRaw = new Metric("catch-up read, typed", "throughput vs raw bytes", "msg/s", true, "raw HttpClient fetch, no parsing", 0.7);
var longPollP50 = new Metric("live long-poll", "p50 append→delivery", "ms", false, "ts", 1.0);
var longPollP99 = new Metric("live long-poll", "p99 append→delivery", "ms", false, "ts", 1.0);
var sseP50 = new Metric("live SSE", "p50 append→delivery", "ms", false, "ts", 1.0);
var sseP99 = new Metric("live SSE", "p99 append→delivery", "ms", false, "ts", 1.0);
var allocated = new Metric("memory (catch-up read)", "allocated per decoded message", "B/msg", false, "JsonSerializer.Deserialize<T[]> on the same bytes in memory", 1.2);
var peak = new Metric("memory (catch-up read)", "working set (RSS) growth at peak", "MB", false, "ts", null);
// Where the time goes: the server's CPU over the wall time of each run (100% = one core busy throughout).
var appendServer = new Metric("append (64 callers, automatic batching)", "server CPU / wall", "% of a core", false, "ts", null);
var producerServer = new Metric("idempotent producer (64 callers)", "server CPU / wall", "% of a core", false, "ts", null);
var appendCpu = new Metric("append (64 callers, automatic batching)", "client CPU time", "ms", false, "ts", null);
var producerCpu = new Metric("idempotent producer (64 callers)", "client CPU time", "ms", false, "ts", null);
var readServer = new Metric("catch-up read, typed", "server CPU / wall", "% of a core", false, "ts", null);
Metric[] metrics = [append, appendCpu, appendServer, producer, producerCpu, producerServer, read, readCpu, readRaw, readServer, longPollP50, longPollP99, sseP50, sseP99, allocated, peak];
var failures = new List<string>();
var rawServerBusy = new List<double>();

// The catch-up stream, written once (untimed) and read by everyone.
var catchUpUrl = server.BaseUrl + "/bench/catch-up";
await FillAsync(adminClient, catchUpUrl, options.Messages);

// Warm-up: JIT, connection pools and the server's code paths; nothing recorded. Whole rounds repeat
// until .NET's tiered JIT has settled (a round compiles at most QuietRoundMethods methods): its
// background recompilation competes with the server for the two cores, and after a single warm-up
// round it was still compiling up to 100 methods (54 ms of JIT time) during a measured producer run.
// A quick run's rounds are small, so it warms up at least three times.
const int WarmAppendRuns = 3, WarmProducerRuns = 20, QuietRoundMethods = 10, MaxWarmRounds = 6;
for (var warmup = 1; ; warmup++)
{
    var compiledBefore = JitInfo.GetCompiledMethodCount();
    await RoundAsync(-1, warm: true);
    var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
    Console.WriteLine($"warm-up round {warmup}: the JIT compiled {compiled} methods; load {Report.Load()}");
    if (warmup >= (options.Quick ? 3 : 1) && compiled <= QuietRoundMethods || warmup == MaxWarmRounds)
    {
        run["warmupRounds"] = $"{warmup} (the last compiled {compiled} methods)";
        break;
    }
}
var jitMethods = JitInfo.GetCompiledMethodCount();
var jitTime = JitInfo.GetCompilationTime();
for (var round = 0; round < options.Rounds; round++)
{
    await RoundAsync(round, warm: false);
    Console.WriteLine($"round {round + 1}/{options.Rounds} done; load {Report.Load()}");
}
run["jitDuringMeasuredRounds"] =
    $"{JitInfo.GetCompiledMethodCount() - jitMethods} methods, {(JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:0} ms";

run["loadAtEnd"] = Report.Load();
run["finishedUtc"] = DateTimeOffset.UtcNow.ToString("u");
Console.WriteLine();
Console.WriteLine($"load at start {run["loadAtStart"]}, at end {run["loadAtEnd"]}; warm-up rounds {run["warmupRounds"]}; JIT during the measured rounds: {run["jitDuringMeasuredRounds"]}");
Console.WriteLine(Report.Table(metrics));
Console.WriteLine($"raw fetch: server CPU / wall {Stats.Median(rawServerBusy):0}% of a core");
run["rawFetchServerCpuPercent"] = $"{Stats.Median(rawServerBusy):0}";
foreach (var failure in failures) Console.WriteLine("VERIFICATION FAILED: " + failure);
if (options.JsonPath is { } path)
{
    Report.WriteJson(path, metrics, run);
    Console.WriteLine($"wrote {path}");
}
return failures.Any(f => f.StartsWith("sdk", StringComparison.Ordinal)) ? 2 : 0;

async Task RoundAsync(int round, bool warm)
{
    // A full-size warm-up: a smaller one left the first recorded round visibly slower (tiered JIT still promoting).
    var messages = options.Messages;
    var latencyMessages = warm ? 20 : options.LatencyMessages;
    IClientScenarios[] order = round % 2 == 0 ? [sdk, ts] : [ts, sdk];
    var tag = warm ? "warm" : round.ToString();

    // The warm-up repeats the writes: a measured write lasts only 0.1–1 s, and .NET's tiered JIT went on
    // recompiling the producer's path for about 20 runs (2 s), competing with the server for the two
    // cores: SDK producer runs took 100–120 ms before that and 75–95 ms after (RESULTS.md).
    foreach (var client in order)
    for (var run = 0; run < (warm ? WarmAppendRuns : 1); run++)
    {
        var url = await CreateAsync($"/bench/append-{client.Name}-{tag}-{run}");
        var cpu = serverCpu.Now();
        var result = await client.AppendAsync(url, messages, options.Callers);
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        await VerifyAsync(client, "append", url, messages);
        if (warm) continue;
        Record(append, client, messages / (result.WallMs / 1000));
        Record(appendCpu, client, result.CpuMs);
        Record(appendServer, client, busy);
    }

    foreach (var client in order)
    for (var run = 0; run < (warm ? WarmProducerRuns : 1); run++)
    {
        var url = await CreateAsync($"/bench/producer-{client.Name}-{tag}-{run}");
        var cpu = serverCpu.Now();
        var result = await client.ProducerAsync(url, messages, options.Callers, $"{client.Name}-{tag}-{run}");
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        await VerifyAsync(client, "producer", url, messages);
        if (warm) continue;
        Record(producer, client, messages / (result.WallMs / 1000));
        Record(producerCpu, client, result.CpuMs);
        Record(producerServer, client, busy);
    }

    // Reads are few and short: the warm-up repeats them so both runtimes reach their optimised code.
    foreach (var client in warm ? [.. order, .. order, .. order] : order)
    {
        var cpu = serverCpu.Now();
        var result = await client.ReadAsync(catchUpUrl);
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        if (result.Count != options.Messages) failures.Add($"{client.Name} read: {result.Count} messages, expected {options.Messages}");
        if (warm) continue;
        Record(read, client, result.Count / (result.WallMs / 1000));
        Record(readCpu, client, result.CpuMs);
        Record(readServer, client, busy);
        Record(peak, client, result.PeakGrowthBytes / (1024.0 * 1024.0));
        if (client == sdk)
        {
            readRaw.Sdk.Add(result.Count / (result.WallMs / 1000));
            if (result.AllocatedBytesPerMessage is { } perMessage) allocated.Sdk.Add(perMessage);
        }
    }
    var rawTime = Clock.Start();
    var rawServer = serverCpu.Now();
    await raw.CountBytesAsync(catchUpUrl);
    var rawWall = rawTime.Stop().WallMs;
    var rawBusy = (serverCpu.Now() - rawServer).TotalMilliseconds / rawWall * 100;
    if (!warm)
    {
        readRaw.Other.Add(options.Messages / (rawWall / 1000));
        rawServerBusy.Add(rawBusy);
        allocated.Other.Add(await InMemoryAllocationPerMessageAsync());
    }

    foreach (var (live, p50, p99) in new[] { (LiveMode.LongPoll, longPollP50, longPollP99), (LiveMode.Sse, sseP50, sseP99) })
    {
        foreach (var client in order)
        {
            var url = await CreateAsync($"/bench/live-{live}-{client.Name}-{tag}");
            var result = await client.LatencyAsync(url, latencyMessages, options.LatencyWarmup, live);
            if (!warm)
            {
                Record(p50, client, Stats.Percentile(result.LatenciesMs, 50));
                Record(p99, client, Stats.Percentile(result.LatenciesMs, 99));
            }
            await adminClient.GetStream(url).DeleteAsync();
        }
    }
}

void Record(Metric metric, IClientScenarios client, double value) => (client == sdk ? metric.Sdk : metric.Other).Add(value);

async Task<string> CreateAsync(string path)
{
    await adminClient.CreateStreamAsync(server.BaseUrl + path, new CreateStreamOptions { ContentType = "application/json" });
    return server.BaseUrl + path;
}

async Task VerifyAsync(IClientScenarios client, string scenario, string url, int expected)
{
    var problem = await StoredMessages.VerifyAsync(raw, url, expected, options.Callers);
    if (problem is not null) failures.Add($"{client.Name} {scenario} {url}: {problem}");
    // Keep the server's memory flat across rounds.
    await adminClient.GetStream(url).DeleteAsync();
}

// The limit for allocations: the same bytes, already in memory, through JsonSerializer with the same metadata.
async Task<double> InMemoryAllocationPerMessageAsync()
{
    var bodies = await raw.BodiesAsync(catchUpUrl);
    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var count = 0;
    foreach (var body in bodies)
        if (body.Length > 0) count += JsonSerializer.Deserialize(body, BenchJsonContext.Default.BenchRecordArray)!.Length;
    return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Math.Max(count, 1);
}

static async Task FillAsync(DurableStreamClient client, string url, int messages)
{
    var stream = await client.CreateStreamAsync(url, new CreateStreamOptions { ContentType = "application/json" });
    const int PerPost = 1_000;
    for (var start = 0; start < messages; start += PerPost)
    {
        var batch = Enumerable.Range(start, Math.Min(PerPost, messages - start))
            .Select(i => new BenchRecord(i % 64, i / 64, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), BenchRecord.Filler));
        await stream.AppendJsonManyAsync(batch, BenchJsonContext.Default.BenchRecord);
    }
}
