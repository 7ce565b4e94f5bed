using System.Text.Json.Nodes;
using DurableStreams.Bench.EndToEnd.Harness;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>
/// The same scenarios run by a client in its own process: the TypeScript client (bench/ts/driver.mjs) or the
/// upstream C# client (bench/upstream-dotnet). Drivers that do not measure something leave it out of the answer.
/// </summary>
internal sealed class DriverScenarios(ChildDriver driver, string name) : IClientScenarios
{
    public string Name => name;

    public async Task<WriteResult> AppendAsync(string url, int messages, int callers)
    {
        var answer = await driver.RunAsync(new JsonObject { ["cmd"] = "append", ["url"] = url, ["messages"] = messages, ["callers"] = callers }).ConfigureAwait(false);
        return new WriteResult(Number(answer, "wallMs"), Number(answer, "cpuMs"));
    }

    public async Task<WriteResult> ProducerAsync(string url, int messages, int callers, string producerId)
    {
        var answer = await driver.RunAsync(new JsonObject
        {
            ["cmd"] = "producer", ["url"] = url, ["messages"] = messages, ["callers"] = callers, ["producerId"] = producerId,
        }).ConfigureAwait(false);
        return new WriteResult(Number(answer, "wallMs"), Number(answer, "cpuMs"));
    }

    public async Task<ReadResult> ReadAsync(string url)
    {
        var answer = await driver.RunAsync(new JsonObject { ["cmd"] = "read", ["url"] = url }).ConfigureAwait(false);
        return new ReadResult(Number(answer, "wallMs"), Number(answer, "cpuMs"), (int)Number(answer, "count"), (long)Number(answer, "peakRssGrowthBytes"),
            answer["allocatedBytesPerMessage"]?.GetValue<double>());
    }

    // The TypeScript client's first request is always a plain catch-up GET (live=sse only starts at the tail), so it
    // cannot catch up over SSE: its SSE catch-up is its HTTP one. The upstream driver has no such command.
    public Task<ReadResult?> ReadSseAsync(string url) => Task.FromResult<ReadResult?>(null);

    public async Task<LatencyResult> LatencyAsync(string url, int messages, int warmup, LiveMode live)
    {
        var answer = await driver.RunAsync(new JsonObject
        {
            ["cmd"] = "latency", ["url"] = url, ["messages"] = messages, ["warmup"] = warmup,
            ["live"] = live == LiveMode.Sse ? "sse" : "long-poll",
        }).ConfigureAwait(false);
        return Latencies(answer);
    }

    public async Task<LatencyResult?> CreateLatencyAsync(string urlPrefix, int count)
    {
        return Latencies(await driver.RunAsync(new JsonObject { ["cmd"] = "create", ["urlPrefix"] = urlPrefix, ["count"] = count }).ConfigureAwait(false));
    }

    private static LatencyResult Latencies(JsonObject answer) =>
        new(answer["latenciesMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray());

    private static double Number(JsonObject answer, string name) => answer[name]!.GetValue<double>();
}
