using System.Runtime;
using System.Text.Json;
using DurableStreams;
using DurableStreams.Bench.EndToEnd;
using DurableStreams.Bench.EndToEnd.Harness;
using DurableStreams.Bench.EndToEnd.Reporting;
using DurableStreams.Bench.EndToEnd.Scenarios;
using DurableStreams.Testing;

// One reference server on 127.0.0.1; each scenario run by this SDK, the TypeScript client and (when its
// source is beside the repository and builds) the upstream C# client, rotating which goes first, for several
// rounds; medians and SDK/other ratios at the end. Numbers are reported, never asserted: the exit code is
// non-zero only on a crash or when the SDK's writes fail verification (other clients' failures are reported).
var options = BenchOptions.Parse(args);
if (options.Servers) return await DurableStreams.Bench.EndToEnd.Servers.ServersBench.RunAsync(options, args);
var elapsed = System.Diagnostics.Stopwatch.StartNew();
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
if (options.Only == "catchup") return await CatchUpOnly.RunAsync(options, server, run, FillAsync);
if (options.Only == "append1") return await AppendOneOnly.RunAsync(options, server, run);
await using var driver = await ChildDriver.StartTsAsync();
var (upstreamDriver, upstreamFolder, upstreamMissing) = await UpstreamDriver.StartAsync();
run["upstream"] = upstreamMissing is null
    ? "upstream C# client (../shared/anchors/client-dotnet, commit 82f9963a), built from a temporary copy, own defaults"
    : "unavailable: " + upstreamMissing;
Console.WriteLine("upstream C# column: " + run["upstream"]);
using var sdkClient = new DurableStreamClient(server.BaseAddress);
using var adminClient = new DurableStreamClient(server.BaseAddress);
using var rawHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
var raw = new RawReader(rawHttp);
var serverCpu = new ServerCpu(server.ProcessId);
IClientScenarios sdk = new SdkScenarios(sdkClient), ts = new DriverScenarios(driver, "ts");
IClientScenarios? upstream = upstreamDriver is null ? null : new DriverScenarios(upstreamDriver, "upstream");
IClientScenarios[] clients = upstream is null ? [sdk, ts] : [sdk, ts, upstream];
// The upstream client has no automatic batching: each of its appends is one POST, so its 64-caller run writes a
// quarter of the messages (throughput is per second either way) to keep a quick run short.
var unbatchedMessages = Math.Max(options.Messages / 4, options.Callers);
if (upstream is not null)
{
    run["upstreamAppend"] = $"no automatic batching: one POST per append; 64-caller append runs write {unbatchedMessages} messages";
    Console.WriteLine("upstream C#: " + run["upstreamAppend"]);
}

var append = new Metric("append (64 callers, automatic batching)", "throughput", "msg/s", true, "ts", 2.0);
var appendOne = new Metric("append (1 caller, awaiting each append)", "throughput", "msg/s", true, "ts", null);
var create = new Metric("create stream (one at a time)", "p50 latency", "ms", false, "ts", null);
var createP99 = new Metric("create stream (one at a time)", "p99 latency", "ms", false, "ts", null);
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
var sseRead = new Metric("catch-up over SSE from -1, typed", "throughput (wall)", "msg/s", true, "ts (n/a: its first request is always a plain GET)", null);
var sseReadCpu = new Metric("catch-up over SSE from -1, typed", "client CPU time", "ms", false, "raw SSE fetch", null);
var sseReadRaw = new Metric("catch-up over SSE from -1, typed", "throughput vs raw SSE bytes", "msg/s", true, "raw HttpClient SSE fetch, no parsing", 0.9);
var readServer = new Metric("catch-up read, typed", "server CPU / wall", "% of a core", false, "ts", null);
Metric[] metrics = [append, appendCpu, appendServer, appendOne, producer, producerCpu, producerServer, read, readCpu, readRaw, readServer, sseRead, sseReadCpu, sseReadRaw, longPollP50, longPollP99, sseP50, sseP99, create, createP99, allocated, peak];
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
    await GuardedRoundAsync(-1, warm: true);
    var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
    Console.WriteLine($"warm-up round {warmup}: the JIT compiled {compiled} methods; load {Report.Load()}; {elapsed.Elapsed.TotalSeconds:0} s in");
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
    await GuardedRoundAsync(round, warm: false);
    Console.WriteLine($"round {round + 1}/{options.Rounds} done; load {Report.Load()}; {elapsed.Elapsed.TotalSeconds:0} s in");
}
run["jitDuringMeasuredRounds"] =
    $"{JitInfo.GetCompiledMethodCount() - jitMethods} methods, {(JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:0} ms";

run["loadAtEnd"] = Report.Load();
run["finishedUtc"] = DateTimeOffset.UtcNow.ToString("u");
Console.WriteLine();
Console.WriteLine($"load at start {run["loadAtStart"]}, at end {run["loadAtEnd"]}; warm-up rounds {run["warmupRounds"]}; JIT during the measured rounds: {run["jitDuringMeasuredRounds"]}");
Console.WriteLine(Report.Table(metrics, upstreamMissing));
Console.WriteLine($"raw fetch: server CPU / wall {Stats.Median(rawServerBusy):0}% of a core");
run["rawFetchServerCpuPercent"] = $"{Stats.Median(rawServerBusy):0}";
foreach (var failure in failures) Console.WriteLine("VERIFICATION FAILED: " + failure);
if (options.JsonPath is { } path)
{
    Report.WriteJson(path, metrics, run);
    Console.WriteLine($"wrote {path}");
}
if (upstreamDriver is not null) await upstreamDriver.DisposeAsync();
UpstreamDriver.Delete(upstreamFolder);
return failures.Any(f => f.StartsWith("sdk", StringComparison.Ordinal)) ? 2 : 0;

// The upstream column is reporting only: if its driver fails, the column is dropped (with the reason) and the
// round is run again without it, its partial samples discarded; the SDK's and TS's failures still end the run.
async Task GuardedRoundAsync(int round, bool warm)
{
    var lists = metrics.SelectMany(m => new[] { m.Sdk, m.Other, m.Upstream }).Append(rawServerBusy).ToArray();
    var counts = lists.Select(l => l.Count).ToArray();
    try
    {
        await RoundAsync(round, warm);
    }
    catch (DriverFailedException error) when (upstreamDriver is not null && upstream is not null && error.Label == upstreamDriver.Label)
    {
        upstreamMissing = "failed during the run: " + error.Message.Split('\n')[0];
        run["upstream"] = "unavailable: " + upstreamMissing;
        Console.WriteLine("upstream C# column dropped: " + error.Message);
        failures.Add("upstream " + upstreamMissing);
        upstream = null;
        clients = [sdk, ts];
        for (var i = 0; i < lists.Length; i++) lists[i].RemoveRange(counts[i], lists[i].Count - counts[i]);
        foreach (var m in metrics) m.Upstream.Clear();
        await RoundAsync(round, warm);
    }
}

async Task RoundAsync(int round, bool warm)
{
    // A full-size warm-up: a smaller one left the first recorded round visibly slower (tiered JIT still promoting).
    var messages = options.Messages;
    var latencyMessages = warm ? 20 : options.LatencyMessages;
    // Rotate which client goes first (the warm-up uses round -1: the last one starts).
    var first = ((round % clients.Length) + clients.Length) % clients.Length;
    IClientScenarios[] order = [.. clients.Skip(first), .. clients.Take(first)];
    var tag = warm ? "warm" : round.ToString();

    // The warm-up repeats the writes: a measured write lasts only 0.1–1 s, and .NET's tiered JIT went on
    // recompiling the producer's path for about 20 runs (2 s), competing with the server for the two
    // cores: SDK producer runs took 100–120 ms before that and 75–95 ms after (RESULTS.md).
    foreach (var client in order)
    for (var run = 0; run < (warm ? client == upstream ? 1 : WarmAppendRuns : 1); run++)
    {
        var url = await CreateAsync($"/bench/append-{client.Name}-{tag}-{run}");
        var cpu = serverCpu.Now();
        var count = client == upstream ? unbatchedMessages : messages;
        var result = await client.AppendAsync(url, count, options.Callers);
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        await VerifyAsync(client, append, url, count, options.Callers);
        if (warm) continue;
        Record(append, client, count / (result.WallMs / 1000));
        Record(appendCpu, client, result.CpuMs);
        Record(appendServer, client, busy);
    }

    foreach (var client in order)
    for (var run = 0; run < (warm ? WarmProducerRuns : 1); run++)
    {
        var url = await CreateAsync($"/bench/producer-{client.Name}-{tag}-{run}");
        var cpu = serverCpu.Now();
        var result = client == upstream
            ? await UpstreamProducerAsync(url, $"{client.Name}-{tag}-{run}")
            : await client.ProducerAsync(url, messages, options.Callers, $"{client.Name}-{tag}-{run}");
        if (result is null) continue;
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        await VerifyAsync(client, producer, url, messages, options.Callers);
        if (warm) continue;
        Record(producer, client, messages / (result.WallMs / 1000));
        Record(producerCpu, client, result.CpuMs);
        Record(producerServer, client, busy);
    }

    // One caller awaiting each append: no batching for anyone, so this compares the plain request path.
    foreach (var client in order)
    {
        var url = await CreateAsync($"/bench/append-one-{client.Name}-{tag}");
        var result = await client.AppendAsync(url, options.SingleCallerMessages, 1);
        await VerifyAsync(client, appendOne, url, options.SingleCallerMessages, 1);
        if (!warm) Record(appendOne, client, options.SingleCallerMessages / (result.WallMs / 1000));
    }

    // Reads are few and short: the warm-up repeats them so both runtimes reach their optimised code.
    foreach (var client in warm ? [.. order, .. order, .. order] : order)
    {
        var cpu = serverCpu.Now();
        var result = await client.ReadAsync(catchUpUrl);
        var busy = (serverCpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
        if (result.Count != options.Messages)
        {
            failures.Add($"{client.Name} read: {result.Count} messages, expected {options.Messages}");
            read.Failed.Add(client.Name);
        }
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
        else if (client == upstream && result.AllocatedBytesPerMessage is { } perMessage) allocated.Upstream.Add(perMessage);
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

    // The same catch-up over SSE from the beginning: this SDK against the raw SSE fetch (the other clients cannot).
    var sse = (await sdk.ReadSseAsync(catchUpUrl))!;
    if (sse.Count != options.Messages)
    {
        failures.Add($"sdk SSE read: {sse.Count} messages, expected {options.Messages}");
        sseRead.Failed.Add("sdk");
    }
    var rawSseTime = Clock.Start();
    await raw.CountSseBytesAsync(catchUpUrl);
    var rawSse = rawSseTime.Stop();
    if (!warm)
    {
        sseRead.Sdk.Add(sse.Count / (sse.WallMs / 1000));
        sseReadRaw.Sdk.Add(sse.Count / (sse.WallMs / 1000));
        sseReadRaw.Other.Add(options.Messages / (rawSse.WallMs / 1000));
        sseReadCpu.Sdk.Add(sse.CpuMs);
        sseReadCpu.Other.Add(rawSse.CpuMs);
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

    // Create latency: a handful of streams, one after another, deleted afterwards (untimed).
    foreach (var client in order)
    {
        var prefix = $"{server.BaseUrl}/bench/create-{client.Name}-{tag}-";
        var result = await client.CreateLatencyAsync(prefix, options.Creates);
        if (result is null) continue;
        for (var i = 0; i < options.Creates; i++) await adminClient.GetStream(prefix + i).DeleteAsync();
        if (warm) continue;
        Record(create, client, Stats.Percentile(result.LatenciesMs, 50));
        Record(createP99, client, Stats.Percentile(result.LatenciesMs, 99));
    }
}

// The upstream producer can fail on its own (RESULTS.md, run 9: a lost sequence-completion signal under pipelining);
// that fails its producer row, loudly, and keeps the rest of the column.
async Task<WriteResult?> UpstreamProducerAsync(string url, string producerId)
{
    try
    {
        return await upstream!.ProducerAsync(url, options.Messages, options.Callers, producerId);
    }
    catch (DriverFailedException error) when (error.Label == upstreamDriver?.Label)
    {
        var reason = string.Join(" / ", error.Message.Split('\n').Where(l => l.Contains("Exception: ")).Take(2).Select(l => l.Trim().TrimStart('-', '>', ' ')));
        failures.Add($"{upstream!.Name} {producer.Scenario} {url}: {reason}");
        producer.Failed.Add(upstream.Name);
        Console.WriteLine($"FAILED: {upstream.Name} {producer.Scenario} {url}: {reason}");
        await adminClient.GetStream(url).DeleteAsync();
        return null;
    }
}

void Record(Metric metric, IClientScenarios client, double value) =>
    (client == sdk ? metric.Sdk : client == upstream ? metric.Upstream : metric.Other).Add(value);

async Task<string> CreateAsync(string path)
{
    await adminClient.CreateStreamAsync(server.BaseUrl + path, new CreateStreamOptions { ContentType = "application/json" });
    return server.BaseUrl + path;
}

// Reads the stream back: a client whose writes were lost, duplicated or reordered fails that row loudly.
async Task VerifyAsync(IClientScenarios client, Metric row, string url, int expected, int callers)
{
    var problem = await StoredMessages.VerifyAsync(raw, url, expected, callers);
    if (problem is not null)
    {
        failures.Add($"{client.Name} {row.Scenario} {url}: {problem}");
        row.Failed.Add(client.Name);
        Console.WriteLine($"VERIFICATION FAILED: {client.Name} {row.Scenario} {url}: {problem}");
    }
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
