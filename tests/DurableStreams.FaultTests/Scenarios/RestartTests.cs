using DurableStreams.FaultTests.Infrastructure;
using DurableStreams.Server;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (d) Three restarts of the embedded server (file store, down 1-2 s each) under a live reader and an idempotent
/// producer, both with default options: the producer finishes by itself, the reader keeps going without its caller
/// doing anything, and the stream (read back directly) and the reader both hold every message exactly once, in order.
/// </summary>
public sealed class RestartTests
{
    private const int Restarts = 3;

    [Theory]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public Task Producer_and_live_reader_ride_through_three_restarts(LiveMode live)
    {
        var key = $"Restarts.ProducerAndReader.{live}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(TimeSpan.FromSeconds(60), key, async cancellationToken =>
        {
            var random = FaultSettings.RandomFor(key, out _);
            const int total = 1_500;
            await using var upstream = await EmbeddedUpstream.StartAsync(DurableStreamsStoreKind.File);
            var path = "restarts-" + Guid.NewGuid().ToString("N");
            using var client = new DurableStreamClient(upstream.StreamBase); // default options throughout
            var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }, cancellationToken);

            var seen = new List<int>();
            var allRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stopReader = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reader = Task.Run(async () =>
            {
                var typed = new DurableStream<Msg>(client.GetStream(path, "application/json"), FaultJson.Default.Msg);
                await foreach (var e in typed.ReadEventsAsync(new ReadOptions { Live = live }, stopReader.Token))
                {
                    lock (seen)
                    {
                        seen.Add(e.Data.Seq);
                        if (seen.Count >= total) allRead.TrySetResult();
                    }
                }
            }, cancellationToken);

            var producer = Task.Run(async () =>
            {
                await using var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "restarts" });
                for (var i = 0; i < total; i++)
                {
                    await producer.AppendJsonAsync(new Msg(0, i, "x" + i), FaultJson.Default.Msg, cancellationToken);
                    if (i % 25 == 24) await Task.Delay(100, cancellationToken); // about six seconds of writing
                }

                await producer.FlushAsync(cancellationToken);
            }, cancellationToken);

            for (var r = 0; r < Restarts; r++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(800, 1500)), cancellationToken);
                var down = TimeSpan.FromMilliseconds(random.Next(1000, 2000));
                FaultSettings.Log($"[faults] {key}: restart {r + 1}, down {down.TotalMilliseconds} ms");
                await upstream.RestartAsync(down, cancellationToken);
            }

            await producer; // a producer failure is a caller-visible failure: the test fails with it
            var done = await Task.WhenAny(allRead.Task, reader, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken));
            if (done == reader) await reader; // the reader ended (or threw) before reading everything
            Assert.True(allRead.Task.IsCompleted, $"The live reader stopped receiving: {seen.Count} of {total} after the producer finished.");
            await stopReader.CancelAsync();
            try { await reader; }
            catch (OperationCanceledException) { /* stopped by the test */ }

            var stored = await StreamAudit.ReadAllAsync(new Uri(upstream.StreamBase, path), cancellationToken);
            SequenceChecker.AssertExact(stored.Select(m => m.Seq).ToList(), total, $"{key} stored");
            lock (seen) SequenceChecker.AssertExact(seen, total, $"{key} read live");
        }));
    }
}
