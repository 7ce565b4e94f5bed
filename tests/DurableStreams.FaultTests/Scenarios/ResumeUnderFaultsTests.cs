using DurableStreams.FaultTests.Infrastructure;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (c) A reader through the fault proxy, stopped (cancelled or walked away from) and resumed from its saved position
/// at least 100 times while a writer appends: it sees exactly the written sequence, no gap, no duplicate. The saved
/// position is the delivery's (after a whole batch), the event's own, or an item's within a batch, the last two
/// taken in the middle of a delivery.
/// </summary>
public sealed class ResumeUnderFaultsTests
{
    public enum SavedPosition { Batch, Event, BatchItem }

    private const int Resumes = 100;

    [Theory]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.LongPoll, SavedPosition.Batch)]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.Sse, SavedPosition.Batch)]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.LongPoll, SavedPosition.Event)]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.Sse, SavedPosition.Event)]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.LongPoll, SavedPosition.BatchItem)]
    [InlineData(UpstreamKind.EmbeddedMemory, LiveMode.Sse, SavedPosition.BatchItem)]
    [InlineData(UpstreamKind.Reference, LiveMode.LongPoll, SavedPosition.Batch)]
    [InlineData(UpstreamKind.Reference, LiveMode.Sse, SavedPosition.Batch)]
    [InlineData(UpstreamKind.Reference, LiveMode.LongPoll, SavedPosition.Event)]
    [InlineData(UpstreamKind.Reference, LiveMode.Sse, SavedPosition.Event)]
    public Task Reader_resumed_a_hundred_times_sees_the_exact_sequence(UpstreamKind kind, LiveMode live, SavedPosition saved)
    {
        var key = $"Resume.{kind}.{live}.{saved}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(TimeSpan.FromSeconds(90), key, async cancellationToken =>
        {
            var random = FaultSettings.RandomFor(key, out var seed);
            var total = FaultSettings.Long ? 20_000 : 2_000;
            await using var upstream = await Upstreams.StartAsync(kind);
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
                    else if (saved == SavedPosition.BatchItem)
                    {
                        await foreach (var batch in typed.ReadBatchesAsync(options, stop.Token))
                        {
                            var i = 0;
                            for (; i < batch.Items.Count && budget > 0; i++, budget--)
                            {
                                seen.Add(batch.Items[i].Seq);
                                position = batch.PositionAfter(i); // stop inside the batch, resume exactly after item i
                            }

                            if (budget <= 0 || seen.Count >= total) break;
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
