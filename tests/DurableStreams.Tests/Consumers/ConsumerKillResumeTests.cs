using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Consumers;

/// <summary>
/// The at-least-once proof: a consumer checkpointing every few messages is killed over 100 times at random points
/// (inside deliveries, between them, while waiting for data) while a writer appends numbered messages. A kill loses
/// the saves it interrupts (no shutdown checkpoint). Every run must start exactly after the last saved checkpoint and
/// go on without gaps or reordering, and together the runs must handle every message written.
/// </summary>
public sealed class ConsumerKillResumeTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private const int Kills = 100;

    [Theory]
    [InlineData(LiveMode.LongPoll, "memory", 1401)]
    [InlineData(LiveMode.Sse, "stream", 1402)]
    [InlineData(LiveMode.Off, "file", 1403)]
    public async Task Killed_100_times_under_a_live_writer_it_handles_every_message_in_order(LiveMode mode, string storeKind, int seed)
    {
        var context = $"mode {mode}, {storeKind} store, seed {seed}";
        using var client = fixture.CreateClient();
        var stream = await ConsumerTestSupport.CreateNumberedAsync(client, $"kill-{mode}");
        using var writerClient = fixture.CreateClient();
        using var stopWriting = new CancellationTokenSource();
        var writer = WriteAsync(writerClient.GetStream(stream.Url.ToString(), "application/json"), new Random(seed), stopWriting.Token);

        var random = new Random(seed + 1);
        var directory = Path.Combine(Path.GetTempPath(), "ds-kill-" + Guid.NewGuid().ToString("N"));
        ICheckpointStore store = storeKind switch
        {
            "memory" => new InMemoryCheckpointStore(),
            "file" => new FileCheckpointStore(directory),
            _ => new StreamCheckpointStore(client, ReferenceServerFixture.NewPath("kill-checkpoints")),
        };
        var after = new ConcurrentDictionary<Offset, int>(); // position -> the message it follows
        var handled = new HashSet<int>();
        int kills = 0, runs = 0, redelivered = 0, resumedInsideDelivery = 0, highest = 0;
        // The writer appends until the kills are done, then closes the stream; the last runs read to its end.
        while (!writer.IsCompleted || highest < await writer)
        {
            Assert.True(runs < Kills * 20, $"{context}: {runs} runs without reaching the end (highest {highest})");
            runs++;
            var killable = new KillableStore(store);
            var options = new StreamConsumerOptions
            {
                Name = "killed",
                CheckpointStore = killable,
                Live = mode,
                CheckpointEveryMessages = random.Next(2, 9),
                CheckpointInterval = null,
                ShutdownGracePeriod = TimeSpan.Zero,
                StreamName = "numbers",
            };
            // The run must begin right after the checkpoint the consumer loaded (a save interrupted by the last kill
            // may still have landed: what counts is what was loaded).
            int? expected = null;
            Offset? checkpoint = null;
            string? violation = null;
            int FirstExpected()
            {
                checkpoint = killable.Loaded;
                if (checkpoint is not { } saved) return 1;
                if (saved.Skip > 0) resumedInsideDelivery++;
                // Before the first message the only checkpoint is the tail of the empty stream (adopted at the tail).
                if (after.TryGetValue(saved, out var last)) return last + 1;
                if (handled.Count > 0) violation ??= $"{context}, run {runs}: checkpoint {saved} is no message's position";
                return 1;
            }

            // A kill comes from inside the handler after some messages, or from outside after some time.
            var killing = kills < Kills;
            var killAt = killing && random.Next(2) == 0 ? random.Next(1, 40) : int.MaxValue;
            using var kill = new CancellationTokenSource();
            void Kill()
            {
                killable.Kill(); // first: the consumer's own shutdown save must not land
                kill.Cancel();
            }
            var outsideKill = killing && killAt == int.MaxValue
                ? Task.Delay(random.Next(5, 120)).ContinueWith(_ => Kill(), TaskScheduler.Default)
                : Task.CompletedTask;

            var inRun = 0;
            var consumer = new StreamConsumer<Numbered>(stream, (m, _) =>
            {
                expected ??= FirstExpected();
                if (violation is null && m.Data.N != expected)
                    violation = $"{context}, run {runs}: expected message {expected}, got {m.Data.N} (checkpoint {checkpoint})";
                expected = m.Data.N + 1;
                after[m.Position] = m.Data.N;
                if (!handled.Add(m.Data.N)) redelivered++;
                highest = Math.Max(highest, m.Data.N);
                if (++inRun == killAt) Kill();
                return ValueTask.CompletedTask;
            }, options);

            await consumer.RunAsync(kill.Token).WaitAsync(TestTimeouts.Hang);
            if (kill.IsCancellationRequested) kills++; // not a kill if the run had ended on its own first
            if (kills >= Kills) await stopWriting.CancelAsync();
            await outsideKill;
            Assert.True(violation is null, violation);
        }

        var messages = await writer;
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Assert.True(kills >= Kills, $"{context}: only {kills} kills before the end");
        Assert.Equal(Enumerable.Range(1, messages), handled.Order());
        // Kills must have cost saves (or nothing was proven about resuming) and hit the inside of deliveries.
        Assert.True(redelivered > 0, $"{context}: no message was handled twice in {kills} kills");
        Assert.True(resumedInsideDelivery > 0, $"{context}: no run resumed inside a delivery");
        TestContext.Current.SendDiagnosticMessage(
            $"{context}: {runs} runs, {kills} kills, {messages} messages, {redelivered} handled again, {resumedInsideDelivery} resumed inside a delivery");
    }

    /// <summary>Appends 1, 2, 3, ... in batches of 1-8 with short pauses until told to stop, then closes the stream; returns the count.</summary>
    private static async Task<int> WriteAsync(DurableStream stream, Random random, CancellationToken stop)
    {
        var next = 1;
        while (!stop.IsCancellationRequested)
        {
            var count = random.Next(1, 9);
            await stream.AppendJsonManyAsync(Enumerable.Range(next, count).Select(n => new Numbered(n)), TestJsonContext.Default.Numbered);
            next += count;
            await Task.Delay(random.Next(1, 6));
        }
        await stream.CloseAsync();
        return next - 1;
    }
}
