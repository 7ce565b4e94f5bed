using System.Runtime;
using System.Text.Json.Nodes;
using DurableStreams.Bench.EndToEnd.Harness;
using DurableStreams.Bench.EndToEnd.Reporting;
using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>
/// <c>--only catchup</c>: the catch-up reads alone, this SDK against the raw fetch of the same bytes (HTTP, then
/// SSE from the beginning), interleaved in every round with the order alternating, and no other client process
/// loading the cores. Prints each round's times and SDK/raw throughput ratio, then the medians with their spread.
/// </summary>
internal static class CatchUpOnly
{
    private const int MinWarmRounds = 3, MaxWarmRounds = 10, QuietRoundMethods = 10;

    public static async Task<int> RunAsync(BenchOptions options, ReferenceServer server, Dictionary<string, string> run,
        Func<DurableStreamClient, string, int, Task> fill)
    {
        using var client = new DurableStreamClient(server.BaseAddress);
        using var rawHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
        var sdk = new SdkScenarios(client);
        var raw = new RawReader(rawHttp);
        var url = server.BaseUrl + "/bench/catch-up";
        await fill(client, url, options.Messages);
        run["gc"] = $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}";
        Console.WriteLine($"catch-up only: {options.Messages} messages, SDK and raw fetch alone; GC {run["gc"]}");

        for (var warmup = 1; ; warmup++)
        {
            var compiledBefore = JitInfo.GetCompiledMethodCount();
            await RoundAsync(sdk, raw, url, options.Messages, sdkFirst: true);
            var compiled = JitInfo.GetCompiledMethodCount() - compiledBefore;
            if (warmup >= MinWarmRounds && compiled <= QuietRoundMethods || warmup == MaxWarmRounds)
            {
                run["warmupRounds"] = $"{warmup} (the last compiled {compiled} methods)";
                Console.WriteLine($"warm-up: {run["warmupRounds"]}; load {Report.Load()}");
                break;
            }
        }

        var rows = new List<Row>();
        Console.WriteLine("round  mode  sdk ms  (open, 1st msg)  raw ms (headers)  SDK/raw  sdk cpu  raw cpu  sdk GCs g0/g1/g2, pause  load");
        for (var round = 0; round < options.Rounds; round++)
        {
            var load = Report.Load();
            foreach (var row in await RoundAsync(sdk, raw, url, options.Messages, sdkFirst: round % 2 == 0))
            {
                rows.Add(row);
                Console.WriteLine($"{round + 1,5}  {row.Mode,-4}  {row.Sdk.WallMs,6:0.0}  ({row.Sdk.OpenMs,5:0.0}, {row.Sdk.FirstMessageMs,5:0.0})  {row.RawWallMs,6:0.0} ({row.RawHeadersMs,5:0.0})  {row.Ratio,7:0.00}  {row.Sdk.CpuMs,7:0}  {row.RawCpuMs,7:0}  {row.Sdk.Gc,-22}  {load}");
            }
        }

        var summary = new JsonObject();
        foreach (var mode in new[] { "http", "sse" })
        {
            var of = rows.Where(r => r.Mode == mode).ToList();
            var ratios = of.Select(r => r.Ratio).ToList();
            var line = $"{mode}: SDK/raw median {Stats.Median(ratios):0.00} (spread {ratios.Min():0.00} to {ratios.Max():0.00}, {ratios.Count} rounds); " +
                $"SDK {Stats.Median(of.Select(r => r.Sdk.WallMs).ToList()):0.0} ms (open {Stats.Median(of.Select(r => r.Sdk.OpenMs ?? 0).ToList()):0.0}, " +
                $"first message {Stats.Median(of.Select(r => r.Sdk.FirstMessageMs ?? 0).ToList()):0.0}), raw {Stats.Median(of.Select(r => r.RawWallMs).ToList()):0.0} ms (headers {Stats.Median(of.Select(r => r.RawHeadersMs).ToList()):0.0}); " +
                $"CPU SDK {Stats.Median(of.Select(r => r.Sdk.CpuMs).ToList()):0} ms, raw {Stats.Median(of.Select(r => r.RawCpuMs).ToList()):0} ms; " +
                $"SDK allocated {Stats.Median(of.Select(r => r.Sdk.AllocatedBytesPerMessage ?? 0).ToList()):0} B/msg, " +
                $"GC pause {Stats.Median(of.Select(r => r.Sdk.Gc?.PauseMs ?? 0).ToList()):0.0} ms, gen0/1/2 {Stats.Median(of.Select(r => (double)(r.Sdk.Gc?.Gen0 ?? 0)).ToList()):0}/" +
                $"{Stats.Median(of.Select(r => (double)(r.Sdk.Gc?.Gen1 ?? 0)).ToList()):0}/{Stats.Median(of.Select(r => (double)(r.Sdk.Gc?.Gen2 ?? 0)).ToList()):0}";
            Console.WriteLine(line);
            summary[mode] = line;
            summary[mode + "Ratios"] = new JsonArray([.. ratios.Select(r => JsonValue.Create(Math.Round(r, 3)))]);
        }
        run["loadAtEnd"] = Report.Load();
        Console.WriteLine($"load at start {run["loadAtStart"]}, at end {run["loadAtEnd"]}");
        var failed = rows.Any(r => r.Sdk.Count != options.Messages);
        if (failed) Console.WriteLine("VERIFICATION FAILED: an SDK read did not return every message");
        if (options.JsonPath is { } path)
        {
            foreach (var (key, value) in run) summary[key] = value;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, summary.ToJsonString(new() { WriteIndented = true }));
            Console.WriteLine($"wrote {path}");
        }
        return failed ? 2 : 0;
    }

    private sealed record Row(string Mode, ReadResult Sdk, double RawWallMs, double RawCpuMs, double RawHeadersMs)
    {
        public double Ratio => RawWallMs / Sdk.WallMs; // throughput SDK / raw on the same bytes
    }

    private static async Task<Row[]> RoundAsync(SdkScenarios sdk, RawReader raw, string url, int messages, bool sdkFirst)
    {
        var http = await PairAsync("http", () => sdk.ReadAsync(url), raw, () => raw.CountBytesAsync(url), sdkFirst);
        var sse = await PairAsync("sse", async () => (await sdk.ReadSseAsync(url))!, raw, () => raw.CountSseBytesAsync(url), sdkFirst);
        return [http, sse];
    }

    private static async Task<Row> PairAsync(string mode, Func<Task<ReadResult>> sdkRead, RawReader raw, Func<Task<long>> rawRead, bool sdkFirst)
    {
        ReadResult? sdk = null;
        WriteResult? rawTime = null;
        double rawHeaders = 0;
        for (var turn = 0; turn < 2; turn++)
        {
            if (turn == 0 == sdkFirst) sdk = await sdkRead();
            else
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Clock.Start();
                await rawRead();
                rawTime = clock.Stop();
                rawHeaders = clock.MsTo(raw.FirstHeadersAt);
            }
        }
        return new Row(mode, sdk!, rawTime!.WallMs, rawTime.CpuMs, rawHeaders);
    }
}
