using System.Text.Json.Nodes;
using DurableStreams.Bench.EndToEnd.Harness;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>The same scenarios run by the TypeScript client in the node driver (see bench/ts/driver.mjs).</summary>
internal sealed class TsScenarios(TsDriver driver) : IClientScenarios
{
    public string Name => "ts";

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
        return new ReadResult(Number(answer, "wallMs"), Number(answer, "cpuMs"), (int)Number(answer, "count"), (long)Number(answer, "peakRssGrowthBytes"), null);
    }

    public async Task<LatencyResult> LatencyAsync(string url, int messages, int warmup, LiveMode live)
    {
        var answer = await driver.RunAsync(new JsonObject
        {
            ["cmd"] = "latency", ["url"] = url, ["messages"] = messages, ["warmup"] = warmup,
            ["live"] = live == LiveMode.Sse ? "sse" : "long-poll",
        }).ConfigureAwait(false);
        return new LatencyResult(answer["latenciesMs"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray());
    }

    private static double Number(JsonObject answer, string name) => answer[name]!.GetValue<double>();
}
