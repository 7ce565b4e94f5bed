using DurableStreams.FaultTests.Infrastructure;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (c) A reader through the fault proxy, stopped (cancelled or walked away from) and resumed from its saved position
/// at least 100 times while a writer appends: it sees exactly the written sequence, no gap, no duplicate. The saved
/// position is either the delivery's (after a whole batch) or the event's own, taken in the middle of a delivery.
/// </summary>
public sealed class ResumeUnderFaultsTests
{
    public enum SavedPosition { Batch, Event }

    private const int Resumes = 100;

    [Theory]
    [InlineData(LiveMode.LongPoll, SavedPosition.Batch)]
    [InlineData(LiveMode.Sse, SavedPosition.Batch)]
    [InlineData(LiveMode.LongPoll, SavedPosition.Event)]
    [InlineData(LiveMode.Sse, SavedPosition.Event)]
    public Task Reader_resumed_a_hundred_times_sees_the_exact_sequence(LiveMode live, SavedPosition saved)
    {
        var key = $"Resume.{live}.{saved}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(TimeSpan.FromSeconds(90), key, async cancellationToken =>
        {
            var random = FaultSettings.RandomFor(key, out var seed);
            var total = FaultSettings.Long ? 20_000 : 2_000;
            await using var upstream = await EmbeddedUpstream.StartAsync(DurableStreams.Server.DurableStreamsStoreKind.Memory);
            await using var proxy = await FaultProxy.StartAsync(() => upstream.ServerRoot, seed);
            var path = "resume-" + Guid.NewGuid().ToString("N");
            using var direct = new DurableStreamClient(upstream.StreamBase);
            var written = await direct.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }, cancellationToken);
            var writer = WriteAsync(written, total, new Random(seed + 1), cancellationToken);

            using var client = new DurableStreamClient(proxy.StreamBase);
            var typed = new DurableStream<Msg>(client.GetStream(path, "application/json"), FaultJson.Default.Msg);
            var position = default(Offset); // the beginning
            var seen = new List<int>();
            var sessions = 0;
            while ((sessions < Resumes || seen.Count < total) && seen.Count <= total)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sessions++;
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stop.CancelAfter(TimeSpan.FromMilliseconds(random.Next(20, 250))); // the process dies here
                var budget = random.Next(1, 40);                                     // or stops after this many
                var options = new ReadOptions { Offset = position, Live = live };
                try
                {
                    if (saved == SavedPosition.Batch)
                    {
                        await foreach (var batch in typed.ReadBatchesAsync(options, stop.Token))
                        {
                            seen.AddRange(batch.Items.Select(m => m.Seq));
                            position = batch.Offset;
                            if ((budget -= batch.Items.Count) <= 0 || seen.Count >= total) break;
                        }
                    }
                    else
                    {
                        await foreach (var e in typed.ReadEventsAsync(options, stop.Token))
                        {
                            seen.Add(e.Data.Seq);
                            position = e.Position;
                            if (--budget <= 0 || seen.Count >= total) break;
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // stopped from outside: resume from what was saved
                }
            }

            await writer;
            FaultSettings.Log($"[faults] {key}: {sessions} sessions, {seen.Count} messages read; proxy: {proxy}");
            SequenceChecker.AssertExact(seen, total, $"{key} read");
        }));
    }

    private static async Task WriteAsync(DurableStream stream, int total, Random random, CancellationToken cancellationToken)
    {
        await using var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "resume-writer", Linger = TimeSpan.Zero });
        for (var i = 0; i < total;)
        {
            var burst = Math.Min(total - i, random.Next(1, 30));
            for (var k = 0; k < burst; k++, i++)
                await producer.AppendJsonAsync(new Msg(0, i, "r" + i), FaultJson.Default.Msg, cancellationToken);
            await producer.FlushAsync(cancellationToken);
            await Task.Delay(random.Next(5, 40), cancellationToken);
        }
    }
}
