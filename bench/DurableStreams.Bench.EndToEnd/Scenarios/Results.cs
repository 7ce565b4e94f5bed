namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>One timed write run: wall time until every message was acknowledged, and client CPU time.</summary>
internal sealed record WriteResult(double WallMs, double CpuMs);

/// <summary>
/// One catch-up read: wall and CPU time, messages decoded, working-set growth at the peak and (.NET clients only) allocations;
/// for this SDK also when the read was open (its first delivery's headers, or for SSE its first committed batch) and
/// when its first message reached the caller, both from the start.
/// </summary>
internal sealed record ReadResult(double WallMs, double CpuMs, int Count, long PeakGrowthBytes, double? AllocatedBytesPerMessage,
    double? OpenMs = null, double? FirstMessageMs = null, GcDuring? Gc = null);

/// <summary>Garbage collections during one read (gen 0, 1, 2 counts) and the time the runtime was paused for them.</summary>
internal sealed record GcDuring(int Gen0, int Gen1, int Gen2, double PauseMs)
{
    public static (int, int, int, TimeSpan) Now() => (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcDuring Since((int G0, int G1, int G2, TimeSpan Pause) start) =>
        new(GC.CollectionCount(0) - start.G0, GC.CollectionCount(1) - start.G1, GC.CollectionCount(2) - start.G2,
            (GC.GetTotalPauseDuration() - start.Pause).TotalMilliseconds);

    public override string ToString() => $"{Gen0}/{Gen1}/{Gen2} {PauseMs:0.0} ms";
}

/// <summary>Append-to-delivery latencies of one live run, warm-up excluded.</summary>
internal sealed record LatencyResult(double[] LatenciesMs);

/// <summary>One client under test: the same scenarios for the SDK, the TypeScript client and the upstream C# client.</summary>
internal interface IClientScenarios
{
    string Name { get; }
    Task<WriteResult> AppendAsync(string url, int messages, int callers);
    Task<WriteResult> ProducerAsync(string url, int messages, int callers, string producerId);
    Task<ReadResult> ReadAsync(string url);

    /// <summary>The same catch-up over SSE (<c>live=sse</c> from the beginning, until up to date); null when the client cannot read it that way.</summary>
    Task<ReadResult?> ReadSseAsync(string url);
    Task<LatencyResult> LatencyAsync(string url, int messages, int warmup, LiveMode live);

    /// <summary>Creates <paramref name="count"/> JSON streams <c>{urlPrefix}0..</c> one after another, timing each; null when the client does not measure it.</summary>
    Task<LatencyResult?> CreateLatencyAsync(string urlPrefix, int count);
}
