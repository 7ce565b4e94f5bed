using System.Diagnostics;
using System.Globalization;

namespace DurableStreams.Bench.EndToEnd.Servers;

/// <summary>
/// Memory per stream: a fresh server process, a few streams to warm it up, then <c>count</c> JSON streams with
/// ten ~100-byte messages each (about 1 KB of data per stream). Growth of the process's working set (RSS) for every
/// server; for the embedded server also its managed heap after a full collection (GET /_bench/memory), which is
/// what its streams really hold. Node's RSS includes garbage its collector has not reclaimed yet.
/// </summary>
internal static class StreamMemory
{
    public const int MessagesPerStream = 10;

    public sealed record Result(double RssBytesPerStream, double? ManagedBytesPerStream);

    public static async Task<Result> MeasureAsync(string serverName, int count, string? baselineDll)
    {
        await using var server = await ServerUnderTest.StartAsync(serverName, baselineDll).ConfigureAwait(false);
        using var client = new DurableStreamClient(new Uri(server.BaseUrl + "/"));
        using var http = new HttpClient();
        await CreateAsync(client, server, "warm", Math.Min(200, count)).ConfigureAwait(false);
        var before = await SampleAsync(server, http).ConfigureAwait(false);
        await CreateAsync(client, server, "measured", count).ConfigureAwait(false);
        var after = await SampleAsync(server, http).ConfigureAwait(false);
        return new Result((after.Rss - before.Rss) / (double)count,
            after.Managed is { } m && before.Managed is { } b ? (m - b) / (double)count : null);
    }

    private static async Task CreateAsync(DurableStreamClient client, ServerUnderTest server, string prefix, int count)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var stream = await client.CreateStreamAsync($"{server.BaseUrl}/v1/stream/memory/{prefix}-{i}",
                    new CreateStreamOptions { ContentType = "application/json" }).ConfigureAwait(false);
                var batch = Enumerable.Range(0, MessagesPerStream).Select(s => new BenchRecord(0, s, 0, BenchRecord.Filler));
                await stream.AppendJsonManyAsync(batch, BenchJsonContext.Default.BenchRecord).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
    }

    private static async Task<(long Rss, long? Managed)> SampleAsync(ServerUnderTest server, HttpClient http)
    {
        long? managed = null;
        if (server.Embedded)
        {
            var text = await http.GetStringAsync(server.BaseUrl + "/_bench/memory").ConfigureAwait(false);
            managed = long.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        else
        {
            // Node collects on its own schedule: give it a moment after the burst.
            await Task.Delay(1000).ConfigureAwait(false);
        }
        using var process = Process.GetProcessById(server.ProcessId);
        process.Refresh();
        return (process.WorkingSet64, managed);
    }
}
