namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>One timed write run: wall time until every message was acknowledged, and client CPU time.</summary>
internal sealed record WriteResult(double WallMs, double CpuMs);

/// <summary>One catch-up read: wall and CPU time, messages decoded, working-set growth at the peak and (.NET only) allocations.</summary>
internal sealed record ReadResult(double WallMs, double CpuMs, int Count, long PeakGrowthBytes, double? AllocatedBytesPerMessage);

/// <summary>Append-to-delivery latencies of one live run, warm-up excluded.</summary>
internal sealed record LatencyResult(double[] LatenciesMs);

/// <summary>One client under test: the same four scenarios for the SDK and for the TypeScript client.</summary>
internal interface IClientScenarios
{
    string Name { get; }
    Task<WriteResult> AppendAsync(string url, int messages, int callers);
    Task<WriteResult> ProducerAsync(string url, int messages, int callers, string producerId);
    Task<ReadResult> ReadAsync(string url);
    Task<LatencyResult> LatencyAsync(string url, int messages, int warmup, LiveMode live);
}
