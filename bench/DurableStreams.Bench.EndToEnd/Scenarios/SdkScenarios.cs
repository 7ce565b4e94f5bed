using System.Diagnostics;
using DurableStreams.Bench.EndToEnd.Harness;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>The scenarios through this SDK, one client (one connection pool) for the whole run, as an application would.</summary>
internal sealed class SdkScenarios(DurableStreamClient client) : IClientScenarios
{
    private static readonly BenchJsonContext Json = BenchJsonContext.Default;

    public string Name => "sdk";

    /// <summary>Callers each await their own appends in order; appends overlapping a POST in flight share the next one.</summary>
    public async Task<WriteResult> AppendAsync(string url, int messages, int callers)
    {
        var stream = client.GetStream(url, "application/json");
        var clock = Clock.Start();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var n = Share(messages, callers, c);
            for (var i = 0; i < n; i++)
                await stream.AppendJsonAsync(Message(c, i), Json.BenchRecord).ConfigureAwait(false);
        }))).ConfigureAwait(false);
        return clock.Stop();
    }

    public async Task<WriteResult> ProducerAsync(string url, int messages, int callers, string producerId)
    {
        var stream = client.GetStream(url, "application/json");
        var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = producerId });
        await using (producer.ConfigureAwait(false))
        {
            var clock = Clock.Start();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                var n = Share(messages, callers, c);
                for (var i = 0; i < n; i++)
                    await producer.AppendJsonAsync(Message(c, i), Json.BenchRecord).ConfigureAwait(false);
            }))).ConfigureAwait(false);
            await producer.FlushAsync().ConfigureAwait(false);
            return clock.Stop();
        }
    }

    /// <summary>Catch-up read decoded into typed records, streamed (never buffered whole).</summary>
    public Task<ReadResult> ReadAsync(string url) => TimedAsync(async opened =>
    {
        var response = await client.StreamAsync(url).ConfigureAwait(false);
        opened();
        await using (response.ConfigureAwait(false))
        {
            // A catch-up read ends by itself when up to date: message by message, as it arrives.
            var count = 0;
            long first = 0;
            await foreach (var record in response.ReadJsonAsync(Json.BenchRecord).ConfigureAwait(false))
            {
                if (count == 0) first = Stopwatch.GetTimestamp();
                if (record.Seq >= 0) count++;
            }
            return (count, first);
        }
    });

    /// <summary>
    /// The catch-up over SSE from the beginning (no initial catch-up GET) through the typed handle
    /// (<see cref="DurableStream{T}"/>), batch by batch until the first up-to-date one: how a typed SSE reader
    /// started at <c>-1</c> catches up. The typed handle opens its read knowing the message type; "open" is
    /// when the first batch reached the caller.
    /// </summary>
    public async Task<ReadResult?> ReadSseAsync(string url)
    {
        var options = new ReadOptions { Offset = Offset.Beginning, Live = LiveMode.Sse, InitialCatchUp = false };
        var typed = new DurableStream<BenchRecord>(client.GetStream(url, "application/json"), Json.BenchRecord);
        return await TimedAsync(async opened =>
        {
            var count = 0;
            long first = 0;
            // A live read goes on: batch by batch, to stop at the first up-to-date delivery.
            await foreach (var batch in typed.ReadBatchesAsync(options).ConfigureAwait(false))
            {
                if (first == 0)
                {
                    opened();
                    if (batch.Items.Count > 0) first = Stopwatch.GetTimestamp();
                }
                foreach (var record in batch.Items)
                    if (record.Seq >= 0) count++;
                if (batch.UpToDate) break;
            }
            return (count, first);
        }).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="read"/> (which calls its argument once the read is open) with clock, GC and allocation counters.</summary>
    private static async Task<ReadResult> TimedAsync(Func<Action, Task<(int Count, long First)>> read)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var peak = new PeakWorkingSet();
        var gc = GcDuring.Now();
        var clock = Clock.Start();
        long opened = 0;
        var (count, first) = await read(() => opened = opened == 0 ? Stopwatch.GetTimestamp() : opened).ConfigureAwait(false);
        var time = clock.Stop();
        var gcs = GcDuring.Since(gc);
        var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Math.Max(count, 1);
        return new ReadResult(time.WallMs, time.CpuMs, count, peak.Growth, perMessage,
            opened == 0 ? null : clock.MsTo(opened), first == 0 ? null : clock.MsTo(first), gcs);
    }

    /// <summary>One message at a time: the next is appended once the subscriber has received the previous.</summary>
    public async Task<LatencyResult> LatencyAsync(string url, int messages, int warmup, LiveMode live)
    {
        var total = warmup + messages;
        var stream = client.GetStream(url, "application/json");
        var sentAt = new long[total];
        var receivedAt = new long[total];
        var delivered = Enumerable.Range(0, total).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        using var stop = new CancellationTokenSource();
        var response = await stream.ReadAsync(new ReadOptions { Offset = Offset.Now, Live = live }, stop.Token).ConfigureAwait(false);
        var reader = Task.Run(async () =>
        {
            await foreach (var record in response.ReadJsonAsync(Json.BenchRecord, stop.Token).ConfigureAwait(false))
            {
                receivedAt[record.Seq] = Stopwatch.GetTimestamp();
                delivered[record.Seq].TrySetResult();
            }
        });

        for (var i = 0; i < total; i++)
        {
            sentAt[i] = Stopwatch.GetTimestamp();
            await stream.AppendJsonAsync(Message(0, i), Json.BenchRecord).ConfigureAwait(false);
            // A message that never arrives is a failure of the run, not a slow sample.
            await delivered[i].Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try { await reader.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await response.DisposeAsync().ConfigureAwait(false);

        var latencies = new double[messages];
        for (var i = 0; i < messages; i++)
            latencies[i] = Stopwatch.GetElapsedTime(sentAt[warmup + i], receivedAt[warmup + i]).TotalMilliseconds;
        return new LatencyResult(latencies);
    }

    public async Task<LatencyResult?> CreateLatencyAsync(string urlPrefix, int count)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await client.CreateStreamAsync(urlPrefix + i, new CreateStreamOptions { ContentType = "application/json" }).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return new LatencyResult(latencies);
    }

    private static BenchRecord Message(int caller, int seq) => new(caller, seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), BenchRecord.Filler);

    internal static int Share(int total, int callers, int caller) => total / callers + (caller < total % callers ? 1 : 0);
}
