using DurableStreams.Bench.EndToEnd.Harness;
using DurableStreams.Bench.EndToEnd.Reporting;
using DurableStreams.Bench.EndToEnd.Scenarios;

namespace DurableStreams.Bench.EndToEnd.Servers;

/// <summary>
/// <c>--servers</c>: the same client (this SDK) against the Node reference server and the embedded .NET server
/// (memory store, file store), each in its own process, rotating which server goes first each round. Stored data is
/// verified as in the client bench; numbers are reported, never asserted (exit 2 only when the embedded server lost or
/// reordered writes or a read from it came back short).
/// </summary>
internal static class ServersBench
{
    public static async Task<int> RunAsync(BenchOptions options, string[] args)
    {
        string[] names = options.BaselineServer is null ? ["reference", "memory", "file"] : ["reference", "memory", "file", "baseline"];
        var embedded = names[1..];
        var run = new Dictionary<string, string>
        {
            ["command"] = "dotnet run -c Release --project bench/DurableStreams.Bench.EndToEnd -- " + string.Join(' ', args),
            ["machine"] = Report.Machine(),
            ["loadAtStart"] = Report.Load(),
            ["startedUtc"] = DateTimeOffset.UtcNow.ToString("u"),
            ["rounds"] = options.Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["messages"] = options.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["servers"] = "reference: @durable-streams/server 0.3.7 (node), compression off; memory/file: samples/DurableStreams.DevServer (DurableStreams.Server, Kestrel defaults, server GC); long-poll hold 30 s everywhere",
        };
        if (options.BaselineServer is { } baseline) run["baseline"] = "memory store of " + baseline;
        Console.WriteLine($"servers bench: {run["machine"]}; load {run["loadAtStart"]}; rounds {options.Rounds}, {options.Messages} messages, {options.Callers} callers, {options.MemoryStreams} streams for memory");

        var append = new ServerMetric("append (64 callers, automatic batching)", "throughput", "msg/s", true, true);
        var appendCpu = new ServerMetric("append (64 callers, automatic batching)", "server CPU / wall", "% of a core", false, false);
        var appendClient = new ServerMetric("append (64 callers, automatic batching)", "client CPU / wall", "% of a core", false, false);
        var producer = new ServerMetric("idempotent producer (64 callers)", "throughput", "msg/s", true, true);
        var producerCpu = new ServerMetric("idempotent producer (64 callers)", "server CPU / wall", "% of a core", false, false);
        var producerClient = new ServerMetric("idempotent producer (64 callers)", "client CPU / wall", "% of a core", false, false);
        var read = new ServerMetric("catch-up read, typed", "throughput", "MB/s", true, true);
        var readCpu = new ServerMetric("catch-up read, typed", "server CPU / wall", "% of a core", false, false);
        var readClient = new ServerMetric("catch-up read, typed", "client CPU / wall", "% of a core", false, false);
        var longPollP50 = new ServerMetric("live long-poll", "p50 append→delivery", "ms", false, true);
        var longPollP99 = new ServerMetric("live long-poll", "p99 append→delivery", "ms", false, true);
        var sseP50 = new ServerMetric("live SSE", "p50 append→delivery", "ms", false, true);
        var sseP99 = new ServerMetric("live SSE", "p99 append→delivery", "ms", false, true);
        var rss = new ServerMetric($"memory per stream ({StreamMemory.MessagesPerStream} × ~100 B messages)", "server RSS growth", "KB/stream", false, true);
        var managed = new ServerMetric($"memory per stream ({StreamMemory.MessagesPerStream} × ~100 B messages)", "managed heap growth (after full GC)", "KB/stream", false, false);
        ServerMetric[] metrics = [append, appendCpu, appendClient, producer, producerCpu, producerClient, read, readCpu, readClient, longPollP50, longPollP99, sseP50, sseP99, rss, managed];
        var failures = new List<string>();

        var servers = new List<Target>();
        try
        {
            foreach (var name in names)
            {
                var server = await ServerUnderTest.StartAsync(name, options.BaselineServer).ConfigureAwait(false);
                servers.Add(new Target(server));
            }
            foreach (var target in servers)
            {
                await target.FillCatchUpAsync(options.Messages).ConfigureAwait(false);
                target.CatchUpBytes = await target.Raw.CountBytesAsync(target.CatchUpUrl).ConfigureAwait(false);
            }
            Console.WriteLine($"catch-up stream: {options.Messages} messages, {servers[0].CatchUpBytes / 1e6:0.0} MB of JSON on each server");

            for (var round = -options.WarmupRounds; round < options.Rounds; round++)
            {
                var warm = round < 0;
                var first = ((round % servers.Count) + servers.Count) % servers.Count;
                foreach (var target in servers.Skip(first).Concat(servers.Take(first)))
                    await RoundAsync(target, round, warm).ConfigureAwait(false);
                Console.WriteLine($"{(warm ? "warm-up" : "round")} {(warm ? round + options.WarmupRounds + 1 : round + 1)} done; load {Report.Load()}");
            }
        }
        finally
        {
            foreach (var target in servers) await target.DisposeAsync().ConfigureAwait(false);
        }

        // Memory on fresh processes, one server at a time, so earlier rounds' garbage does not hide or inflate growth.
        foreach (var name in names)
        {
            var result = await StreamMemory.MeasureAsync(name, options.MemoryStreams, options.BaselineServer).ConfigureAwait(false);
            rss.Add(name, result.RssBytesPerStream / 1024);
            if (result.ManagedBytesPerStream is { } m) managed.Add(name, m / 1024);
        }

        run["loadAtEnd"] = Report.Load();
        run["finishedUtc"] = DateTimeOffset.UtcNow.ToString("u");
        Console.WriteLine();
        Console.WriteLine($"load at start {run["loadAtStart"]}, at end {run["loadAtEnd"]}; medians over {options.Rounds} rounds (min–max in brackets)");
        Console.WriteLine(ServerMetric.Table(metrics, embedded));
        foreach (var failure in failures) Console.WriteLine("VERIFICATION FAILED: " + failure);
        if (options.JsonPath is { } path)
        {
            ServerMetric.WriteJson(path, metrics, run);
            Console.WriteLine($"wrote {path}");
        }
        // The reference server's failures are reported; the embedded server losing or reordering data fails the run.
        return failures.Any(f => !f.StartsWith("reference", StringComparison.Ordinal)) ? 2 : 0;

        async Task RoundAsync(Target target, int round, bool warm)
        {
            var name = target.Server.Name;
            var tag = warm ? $"warm{-round}" : round.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var url = await target.CreateAsync($"append-{tag}").ConfigureAwait(false);
            var cpu = target.Cpu.Now();
            var result = await target.Client.AppendAsync(url, options.Messages, options.Callers).ConfigureAwait(false);
            var busy = (target.Cpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
            await VerifyAsync(target, append, url, options.Messages).ConfigureAwait(false);
            if (!warm) { append.Add(name, options.Messages / (result.WallMs / 1000)); appendCpu.Add(name, busy); appendClient.Add(name, result.CpuMs / result.WallMs * 100); }

            url = await target.CreateAsync($"producer-{tag}").ConfigureAwait(false);
            cpu = target.Cpu.Now();
            result = await target.Client.ProducerAsync(url, options.Messages, options.Callers, $"producer-{tag}").ConfigureAwait(false);
            busy = (target.Cpu.Now() - cpu).TotalMilliseconds / result.WallMs * 100;
            await VerifyAsync(target, producer, url, options.Messages).ConfigureAwait(false);
            if (!warm) { producer.Add(name, options.Messages / (result.WallMs / 1000)); producerCpu.Add(name, busy); producerClient.Add(name, result.CpuMs / result.WallMs * 100); }

            cpu = target.Cpu.Now();
            var catchUp = await target.Client.ReadAsync(target.CatchUpUrl).ConfigureAwait(false);
            busy = (target.Cpu.Now() - cpu).TotalMilliseconds / catchUp.WallMs * 100;
            if (catchUp.Count != options.Messages)
            {
                failures.Add($"{name} catch-up read: {catchUp.Count} messages, expected {options.Messages}");
                read.Failed.Add(name);
            }
            if (!warm) { read.Add(name, target.CatchUpBytes / 1e6 / (catchUp.WallMs / 1000)); readCpu.Add(name, busy); readClient.Add(name, catchUp.CpuMs / catchUp.WallMs * 100); }

            foreach (var (live, p50, p99) in new[] { (LiveMode.LongPoll, longPollP50, longPollP99), (LiveMode.Sse, sseP50, sseP99) })
            {
                url = await target.CreateAsync($"live-{live}-{tag}").ConfigureAwait(false);
                var latency = await target.Client.LatencyAsync(url, warm ? 20 : options.LatencyMessages, options.LatencyWarmup, live).ConfigureAwait(false);
                if (!warm)
                {
                    p50.Add(name, Stats.Percentile(latency.LatenciesMs, 50));
                    p99.Add(name, Stats.Percentile(latency.LatenciesMs, 99));
                }
                await target.DeleteAsync(url).ConfigureAwait(false);
            }
        }

        async Task VerifyAsync(Target target, ServerMetric row, string url, int expected)
        {
            var problem = await StoredMessages.VerifyAsync(target.Raw, url, expected, options.Callers).ConfigureAwait(false);
            if (problem is not null)
            {
                failures.Add($"{target.Server.Name} {row.Scenario} {url}: {problem}");
                row.Failed.Add(target.Server.Name);
                Console.WriteLine($"VERIFICATION FAILED: {target.Server.Name} {row.Scenario} {url}: {problem}");
            }
            await target.DeleteAsync(url).ConfigureAwait(false);
        }
    }

    /// <summary>A running server with its own SDK client (one connection pool per server), raw reader and CPU meter.</summary>
    private sealed class Target(ServerUnderTest server) : IAsyncDisposable
    {
        private readonly DurableStreamClient _sdk = new(new Uri(server.BaseUrl + "/"));
        private readonly DurableStreamClient _admin = new(new Uri(server.BaseUrl + "/"));
        private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });

        public ServerUnderTest Server { get; } = server;
        public SdkScenarios Client => new(_sdk);
        public RawReader Raw => new(_http);
        public ServerCpu Cpu { get; } = new(server.ProcessId);
        public string CatchUpUrl => Server.BaseUrl + "/v1/stream/bench/catch-up";
        public long CatchUpBytes { get; set; }

        public async Task<string> CreateAsync(string name)
        {
            var url = $"{Server.BaseUrl}/v1/stream/bench/{name}";
            await _admin.CreateStreamAsync(url, new CreateStreamOptions { ContentType = "application/json" }).ConfigureAwait(false);
            return url;
        }

        public Task DeleteAsync(string url) => _admin.GetStream(url).DeleteAsync();

        public async Task FillCatchUpAsync(int messages)
        {
            var stream = await _admin.CreateStreamAsync(CatchUpUrl, new CreateStreamOptions { ContentType = "application/json" }).ConfigureAwait(false);
            const int PerPost = 1_000;
            for (var start = 0; start < messages; start += PerPost)
            {
                var batch = Enumerable.Range(start, Math.Min(PerPost, messages - start))
                    .Select(i => new BenchRecord(i % 64, i / 64, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), BenchRecord.Filler));
                await stream.AppendJsonManyAsync(batch, BenchJsonContext.Default.BenchRecord).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _sdk.Dispose();
            _admin.Dispose();
            _http.Dispose();
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
