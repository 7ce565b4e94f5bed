using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// A consumer that saves <see cref="StreamEvent{T}.Position"/> after each message, against the reference
/// server: cancelled and resumed 100 times (stopping in the middle of deliveries, or while waiting for
/// data) while a writer appends, it sees every message exactly once, in order, in every read mode.
/// </summary>
public sealed class ExactResumeTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private const int Cycles = 100;
    private const int Messages = 1500;

    [Theory]
    [InlineData(LiveMode.Off, 1201)]
    [InlineData(LiveMode.LongPoll, 1202)]
    [InlineData(LiveMode.Sse, 1203)]
    public async Task Resuming_100_times_from_saved_positions_loses_and_repeats_nothing(LiveMode mode, int seed)
    {
        var context = $"mode {mode}, seed {seed}";
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath($"exact-{mode}");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        using var writerClient = fixture.CreateClient();
        var writer = WriteAsync(writerClient.GetStream(path, "application/json"), new Random(seed));

        var random = new Random(seed + 1);
        var saved = Offset.Beginning.ToString(); // stored as text between runs, as a consumer would
        var expected = 1;
        var midDelivery = 0;
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var take = random.Next(1, 25);
            var options = new ReadOptions
            {
                Offset = Offset.Parse(saved),
                Live = mode,
                // Every other live run goes straight to the live request, so SSE and long-poll deliveries carry the skip.
                InitialCatchUp = mode == LiveMode.Off || cycle % 2 == 0,
            };
            // A run also ends by cancellation while it waits for data the writer has not sent yet.
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(50, 400)));
            try
            {
                await using var response = await stream.ReadAsync(options, stop.Token);
                var taken = 0;
                await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.Numbered, stop.Token))
                {
                    Assert.True(expected == e.Data.N, $"{context}, cycle {cycle}: expected message {expected}, got {e.Data.N} (resumed from {options.Offset})");
                    expected++;
                    saved = e.Position.ToString(); // processed: save the exact position
                    if (e.Position != e.NextOffset) midDelivery++;
                    if (++taken == take) break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        await writer.WaitAsync(TestTimeouts.Hang * 3);
        await using (var rest = await stream.ReadAsync(new ReadOptions { Offset = Offset.Parse(saved), Live = mode }))
        {
            await foreach (var e in rest.ReadEventsAsync(TestJsonContext.Default.Numbered).WithHangGuard())
            {
                Assert.True(expected == e.Data.N, $"{context}, final read: expected message {expected}, got {e.Data.N}");
                expected++;
            }
        }

        Assert.True(expected - 1 == Messages, $"{context}: read {expected - 1} of {Messages} messages");
        // The scenario must have stopped inside deliveries, or it proves nothing about positions.
        Assert.True(midDelivery > 10, $"{context}: only {midDelivery} saved positions were inside a delivery");
    }

    /// <summary>Appends 1..<see cref="Messages"/> in batches of 1-8 with short pauses, then closes the stream.</summary>
    private static async Task WriteAsync(DurableStream stream, Random random)
    {
        var next = 1;
        while (next <= Messages)
        {
            var count = Math.Min(random.Next(1, 9), Messages - next + 1);
            await stream.AppendJsonManyAsync(Enumerable.Range(next, count).Select(n => new Numbered(n)), TestJsonContext.Default.Numbered);
            next += count;
            if (random.Next(4) == 0) await Task.Delay(random.Next(1, 8));
        }
        await stream.CloseAsync();
    }
}
