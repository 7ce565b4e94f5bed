using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Subscriptions;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>The pull-wake worker's failure policy (Skip with a dead-letter handler, Stop) and its wake stream check at start.</summary>
public abstract class PullWakeWorkerFailureTests(ISubscriptionServer fixture)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Skip_gives_a_poison_message_to_the_dead_letter_handler_after_MaxAttempts_and_acks_past_it()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 5; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var recorder = new Recorder(6);
        var poisonAttempts = 0;
        var deadLetters = new DeadLetters();
        var logger = new FakeLogger();
        var options = setup.Options("w1");
        options.FailurePolicy = HandlerFailurePolicy.Skip;
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder, Poison(2, () => Interlocked.Increment(ref poisonAttempts))), options, logger, deadLetters);

        var first = await worker.ProcessOnceAsync().WaitAsync(Hang);
        for (var i = 5; i < 7; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var second = await worker.ProcessOnceAsync().WaitAsync(Hang); // later messages: handled, the skipped one not again
        var acked = (await new SubscriptionClient(client).GetAsync(setup.Id))!.Streams.Single().AckedOffset;

        Assert.Equal(PullWakeOutcome.Completed, first);
        Assert.Equal(PullWakeOutcome.Completed, second);
        Assert.Equal(3, poisonAttempts); // MaxAttempts, in one wake; never handed over again
        Assert.Equal([0, 1, 3, 4, 5, 6], recorder.Handled.Select(h => h.N));
        var (message, exception) = Assert.Single(deadLetters.Seen);
        Assert.Equal(2, message.Data.N);
        Assert.Equal(3, message.Attempt);
        Assert.Equal(setup.Events("a"), message.Stream);
        Assert.Equal("poison 2", Assert.IsType<InvalidOperationException>(exception).Message);
        Assert.Equal((await events.HeadAsync()).Offset, acked);
        var skipped = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 412);
        Assert.Same(exception, skipped.Exception);
    }

    [Fact]
    public async Task A_handler_failing_with_another_streams_NotFound_fails_the_wake_instead_of_skipping_the_stream()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 60_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 4; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var recorder = new Recorder(4);
        var failuresLeft = 1;
        var options = setup.Options("w1");
        options.MaxAttempts = 1;
        // Message 2's handler reads a stream that does not exist, once: the subscribed stream itself is fine.
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder, async (message, ct) =>
            {
                if (message.Data.N == 2 && Interlocked.Decrement(ref failuresLeft) >= 0)
                    await client.GetStream($"{setup.Prefix}/no-such-stream").HeadAsync(ct);
            }), options, new FakeLogger());

        var first = await worker.ProcessOnceAsync().WaitAsync(Hang);
        var second = await worker.ProcessOnceAsync().WaitAsync(Hang);

        Assert.Equal(PullWakeOutcome.Failed, first); // not Completed with the stream's rest silently left for later
        Assert.Equal(PullWakeOutcome.Completed, second);
        // Acks land on delivery boundaries, so 0 and 1 (same delivery) come again; nothing is skipped.
        Assert.Equal([0, 1, 0, 1, 2, 3], recorder.Handled.Select(h => h.N));
        Assert.Equal((await events.HeadAsync()).Offset, (await new SubscriptionClient(client).GetAsync(setup.Id))!.Streams.Single().AckedOffset);
    }

    [Fact]
    public async Task Skip_with_a_failing_dead_letter_handler_releases_the_wake_without_acking_the_message()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 60_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 4; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var recorder = new Recorder(3);
        var poisonAttempts = 0;
        var deadLetters = new DeadLetters { FailuresLeft = 1 };
        var logger = new FakeLogger();
        var options = setup.Options("w1");
        options.FailurePolicy = HandlerFailurePolicy.Skip;
        options.MaxAttempts = 2;
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder, Poison(2, () => Interlocked.Increment(ref poisonAttempts))), options, logger, deadLetters);

        var first = await worker.ProcessOnceAsync().WaitAsync(Hang);
        var handledInFirst = recorder.Handled.Select(h => h.N).ToList();
        var attemptsInFirst = poisonAttempts;
        var second = await worker.ProcessOnceAsync().WaitAsync(Hang); // released, so claimable at once; the dead-letter handler works now

        Assert.Equal(PullWakeOutcome.Failed, first);
        Assert.Equal([0, 1], handledInFirst);
        Assert.Equal(2, attemptsInFirst);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 413);
        Assert.Equal(PullWakeOutcome.Completed, second);
        Assert.Equal(4, poisonAttempts); // not acked past in the first wake: handed over again in the second
        Assert.Equal([2], deadLetters.Seen.Select(d => d.Message.Data.N));
        Assert.Equal(3, recorder.Handled[^1].N);
        Assert.DoesNotContain(recorder.Handled, h => h.N == 2);
        Assert.Equal((await events.HeadAsync()).Offset, (await new SubscriptionClient(client).GetAsync(setup.Id))!.Streams.Single().AckedOffset);
    }

    [Fact]
    public async Task Stop_ends_RunAsync_with_a_typed_exception_after_acking_what_finished_and_releasing_the_lease()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 60_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 5; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var recorder = new Recorder(5);
        var poisonAttempts = 0;
        var logger = new FakeLogger();
        var options = setup.Options("w1");
        options.FailurePolicy = HandlerFailurePolicy.Stop;
        var subscriptions = new SubscriptionClient(client);
        var worker = new PullWakeWorker<Numbered>(subscriptions, TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder, Poison(2, () => Interlocked.Increment(ref poisonAttempts))), options, logger);
        using var stop = new CancellationTokenSource(Hang);

        var ex = await Assert.ThrowsAsync<PullWakeWorkerException>(() => worker.RunAsync(stop.Token));
        var acked = (await subscriptions.GetAsync(setup.Id))!.Streams.Single().AckedOffset;
        var handledByFirst = recorder.Handled.Select(h => h.N).ToList();
        // A 60 s lease: only a release lets the next worker in now; the poison message is still there for it.
        var next = await new PullWakeWorker<Numbered>(subscriptions, TestJsonContext.Default.Numbered,
            new RecordingHandler("next", recorder), setup.Options("next")).ProcessOnceAsync().WaitAsync(Hang);

        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(3, poisonAttempts);
        Assert.Equal(3, ex.Attempts);
        Assert.Equal("poison 2", Assert.IsType<InvalidOperationException>(ex.InnerException).Message);
        Assert.Equal(setup.Id, ex.SubscriptionId);
        Assert.Equal("w1", ex.Worker);
        Assert.Equal(setup.Events("a"), ex.Stream);
        Assert.EndsWith(setup.Events("a"), ex.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal([0, 1], handledByFirst); // nothing after the poison message
        Assert.Equal(acked, ex.AckedOffset);
        Assert.NotEqual((await events.HeadAsync()).Offset, acked);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 414);
        Assert.Equal(PullWakeOutcome.Completed, next);
        Assert.Contains(recorder.Handled, h => h.Worker == "next" && h.N == 2);
        Assert.Equal(4, recorder.Handled.Last().N);
    }

    [Fact]
    public async Task A_missing_wake_stream_fails_RunAsync_at_once_with_a_typed_exception()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        var options = setup.Options("w1");
        options.WakeStream = $"{setup.Prefix}/never-created";
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", new Recorder(1)), options);
        using var stop = new CancellationTokenSource(Hang);

        var ex = await Assert.ThrowsAsync<InvalidWakeStreamException>(() => worker.RunAsync(stop.Token));

        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(DurableStreamErrorCode.NotFound, ex.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.Status);
        Assert.Equal(options.WakeStream, ex.WakeStream);
        Assert.Null(ex.ContentType);
        Assert.EndsWith(options.WakeStream, ex.Url!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wake_stream_that_is_not_JSON_fails_RunAsync_at_once_with_a_typed_exception()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        var options = setup.Options("w1");
        options.WakeStream = $"{setup.Prefix}/octet-wake";
        await client.CreateStreamAsync(options.WakeStream, new CreateStreamOptions { ContentType = "application/octet-stream" });
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", new Recorder(1)), options);
        using var stop = new CancellationTokenSource(Hang);

        var ex = await Assert.ThrowsAsync<InvalidWakeStreamException>(() => worker.RunAsync(stop.Token));

        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(DurableStreamErrorCode.Conflict, ex.Code);
        Assert.StartsWith("application/octet-stream", ex.ContentType, StringComparison.Ordinal);
    }

    /// <summary>A handler step that always fails message <paramref name="n"/>, counting its attempts.</summary>
    private static Func<StreamMessage<Numbered>, CancellationToken, Task> Poison(int n, Func<int> count) => (message, _) =>
    {
        if (message.Data.N != n) return Task.CompletedTask;
        count();
        throw new InvalidOperationException($"poison {n}");
    };

    private sealed class DeadLetters : IDeadLetterHandler<Numbered>
    {
        public ConcurrentQueue<(StreamMessage<Numbered> Message, Exception Exception)> Queue { get; } = new();
        public int FailuresLeft { get; set; }
        public IReadOnlyList<(StreamMessage<Numbered> Message, Exception Exception)> Seen => [.. Queue];

        public ValueTask HandleFailedAsync(StreamMessage<Numbered> message, Exception exception, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0) throw new IOException("dead-letter store down");
            Queue.Enqueue((message, exception));
            return ValueTask.CompletedTask;
        }
    }
}
