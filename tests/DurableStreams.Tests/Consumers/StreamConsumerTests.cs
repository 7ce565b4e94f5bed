using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Consumers.ConsumerTestSupport;

namespace DurableStreams.Tests.Consumers;

/// <summary>A checkpointed consumer against the reference server: resume points, failure policies, shutdown.</summary>
public sealed class StreamConsumerTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task Resumes_exactly_after_the_last_checkpoint_inside_a_delivery(LiveMode live)
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "resume", Range(1, 10), Range(11, 12));
        var store = new InMemoryCheckpointStore();
        var options = Options(store, live);
        options.CheckpointEveryMessages = 1;

        var first = new List<int>();
        using var stop = new CancellationTokenSource();
        var consumer = new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            first.Add(m.Data.N);
            if (m.Data.N == 4) stop.Cancel(); // stop while the first delivery (1..10) is half done
            return ValueTask.CompletedTask;
        }, options);
        await consumer.RunAsync(stop.Token).WaitAsync(TestTimeouts.Hang);

        Assert.Equal([1, 2, 3, 4], first);
        var checkpoint = await store.LoadAsync("test", consumer.StreamName);
        Assert.Equal(consumer.Checkpoint, checkpoint);
        Assert.True(checkpoint is { Skip: 4 }, $"checkpoint {checkpoint} is not 4 messages into the delivery");

        var second = new List<int>();
        using var end = new CancellationTokenSource();
        await new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            second.Add(m.Data.N);
            if (m.Data.N == 12) end.Cancel();
            return ValueTask.CompletedTask;
        }, options).RunAsync(end.Token).WaitAsync(TestTimeouts.Hang);
        Assert.Equal(Range(5, 12), second);
    }

    [Fact]
    public async Task Checkpoints_by_count_and_at_the_tail_with_exact_positions()
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "frequency", Range(1, 7));
        var saves = new List<(Offset Position, int LastHandled)>();
        var handled = 0;
        var store = new RecordingStore(position => saves.Add((position, handled)));
        var options = Options(store);
        options.CheckpointEveryMessages = 3;
        options.CheckpointInterval = null;

        var positions = new Dictionary<Offset, int>();
        await new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            handled = m.Data.N;
            positions[m.Position] = m.Data.N;
            return ValueTask.CompletedTask;
        }, options).RunAsync().WaitAsync(TestTimeouts.Hang);

        // After 3 and 6 by count, after 7 at the tail (caught up), and nothing more on stopping (unchanged).
        Assert.Equal([3, 6, 7], saves.Select(s => s.LastHandled));
        Assert.Equal([3, 6, 7], saves.Select(s => positions[s.Position]));
    }

    [Fact]
    public async Task Retries_a_failing_message_then_stops_with_a_typed_exception_and_resumes_with_it()
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "stop", Range(1, 5));
        var store = new InMemoryCheckpointStore();
        var options = Options(store);
        options.MaxAttempts = 3;
        options.CheckpointEveryMessages = 100;

        var attempts = new List<(int N, int Attempt)>();
        var consumer = new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            attempts.Add((m.Data.N, m.Attempt));
            return m.Data.N == 3 ? throw new InvalidOperationException("poison") : ValueTask.CompletedTask;
        }, options);
        var error = await Assert.ThrowsAsync<StreamConsumerException>(() => consumer.RunAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal([(1, 1), (2, 1), (3, 1), (3, 2), (3, 3)], attempts);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(3, error.Attempts);
        Assert.Equal("test", error.Consumer);
        Assert.Equal(stream.Url, error.Url);
        // What finished (1 and 2) is checkpointed before the throw, although the frequency is 100.
        Assert.NotNull(error.Checkpoint);
        Assert.Equal(error.Checkpoint, await store.LoadAsync("test", consumer.StreamName));

        var resumed = new List<int>();
        await new StreamConsumer<Numbered>(stream, (m, _) => { resumed.Add(m.Data.N); return ValueTask.CompletedTask; }, options)
            .RunAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal([3, 4, 5], resumed);
    }

    [Fact]
    public async Task Skip_policy_dead_letters_the_message_and_moves_on_and_a_transient_failure_is_retried()
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "skip", Range(1, 5));
        var options = Options(new InMemoryCheckpointStore());
        options.MaxAttempts = 3;
        options.FailurePolicy = HandlerFailurePolicy.Skip;

        var handled = new List<(int N, int Attempt)>();
        var deadLetters = new DeadLetters();
        await new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            if (m.Data.N == 2 && m.Attempt < 3) throw new TimeoutException("transient");
            if (m.Data.N == 4) throw new FormatException("poison");
            handled.Add((m.Data.N, m.Attempt));
            return ValueTask.CompletedTask;
        }, options, deadLetters).RunAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal([(1, 1), (2, 3), (3, 1), (5, 1)], handled);
        var (message, exception) = Assert.Single(deadLetters.Received);
        Assert.Equal(4, message.Data.N);
        Assert.Equal(3, message.Attempt);
        Assert.IsType<FormatException>(exception);
    }

    [Fact]
    public async Task A_failing_dead_letter_handler_stops_the_consumer_rather_than_lose_the_message()
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "dead-letter-fails", Range(1, 3));
        var store = new InMemoryCheckpointStore();
        var options = Options(store);
        options.MaxAttempts = 1;
        options.FailurePolicy = HandlerFailurePolicy.Skip;
        var consumer = new StreamConsumer<Numbered>(stream,
            (m, _) => m.Data.N == 2 ? throw new FormatException("poison") : ValueTask.CompletedTask, options, new DeadLetters { Fail = true });

        var error = await Assert.ThrowsAsync<StreamConsumerException>(() => consumer.RunAsync().WaitAsync(TestTimeouts.Hang));
        Assert.IsType<AggregateException>(error.InnerException);
        var resumed = new List<int>();
        await new StreamConsumer<Numbered>(stream, (m, _) => { resumed.Add(m.Data.N); return ValueTask.CompletedTask; }, options)
            .RunAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal([2, 3], resumed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Shutdown_lets_the_message_in_flight_finish_within_the_grace_period_and_checkpoints_it(bool finishes)
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "shutdown", Range(1, 4));
        var store = new InMemoryCheckpointStore();
        var options = Options(store, LiveMode.LongPoll);
        options.CheckpointEveryMessages = 100;
        options.CheckpointInterval = null;
        options.ShutdownGracePeriod = finishes ? TimeSpan.FromMinutes(1) : TimeSpan.Zero;

        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<int>();
        using var stop = new CancellationTokenSource();
        var consumer = new StreamConsumer<Numbered>(stream, async (m, ct) =>
        {
            if (m.Data.N == 2)
            {
                inFlight.SetResult();
                await release.Task.WaitAsync(ct);
            }
            handled.Add(m.Data.N);
        }, options);
        var run = consumer.RunAsync(stop.Token);
        await inFlight.Task.WaitAsync(TestTimeouts.Hang);
        stop.Cancel();
        release.SetResult();
        await run.WaitAsync(TestTimeouts.Hang);

        Assert.Equal(finishes ? [1, 2] : [1], handled);
        var resumed = new List<int>();
        await new StreamConsumer<Numbered>(stream, (m, _) => { resumed.Add(m.Data.N); return ValueTask.CompletedTask; }, Options(store))
            .RunAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal(finishes ? [3, 4] : [2, 3, 4], resumed);
    }

    [Fact]
    public async Task Starting_now_skips_what_exists_and_checkpoints_a_real_position_not_the_sentinel()
    {
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "now", Range(1, 3));
        var store = new InMemoryCheckpointStore();
        var options = Options(store, LiveMode.LongPoll);
        options.StartFrom = Offset.Now;

        var handled = new List<int>();
        using var stop = new CancellationTokenSource();
        var consumer = new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            handled.Add(m.Data.N);
            stop.Cancel();
            return ValueTask.CompletedTask;
        }, options);
        var run = consumer.RunAsync(stop.Token);
        // The consumer checkpoints the tail once caught up, before anything new arrives.
        await WaitUntilAsync(async () => await store.LoadAsync("test", consumer.StreamName) is not null);
        await stream.AppendAsync(new Numbered(4));
        await run.WaitAsync(TestTimeouts.Hang);

        Assert.Equal([4], handled);
        var checkpoint = await store.LoadAsync("test", consumer.StreamName);
        Assert.True(checkpoint is { IsSentinel: false }, $"checkpoint {checkpoint}");
        await stream.AppendAsync(new Numbered(5));
        var resumed = new List<int>();
        await new StreamConsumer<Numbered>(stream, (m, _) => { resumed.Add(m.Data.N); return ValueTask.CompletedTask; }, Options(store))
            .RunAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal([5], resumed);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Hang);
        while (!await condition()) await Task.Delay(10, timeout.Token);
    }

    private sealed class RecordingStore(Action<Offset> onSave) : ICheckpointStore
    {
        private readonly InMemoryCheckpointStore _inner = new();

        public ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default) =>
            _inner.LoadAsync(consumer, stream, cancellationToken);

        public ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default)
        {
            onSave(position);
            return _inner.SaveAsync(consumer, stream, position, cancellationToken);
        }
    }

    private sealed class DeadLetters : IDeadLetterHandler<Numbered>
    {
        public bool Fail { get; init; }

        public List<(StreamMessage<Numbered> Message, Exception Exception)> Received { get; } = [];

        public ValueTask HandleFailedAsync(StreamMessage<Numbered> message, Exception exception, CancellationToken cancellationToken)
        {
            if (Fail) throw new IOException("dead-letter queue unavailable");
            Received.Add((message, exception));
            return ValueTask.CompletedTask;
        }
    }
}
