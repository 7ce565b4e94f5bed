using System.Net;
using DurableStreams.Tests.Logging;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// Pipelined batches that reach the server out of order (pitfall P5): a 409 gap whose expected seq
/// is below the batch's own means an earlier batch is still on its way; wait for it, then resend.
/// A producer pipelines only once its first batch is stored (seq 0, alone), so each test stores one
/// first and reorders the batches after it.
/// </summary>
public sealed class ProducerPipeliningTests
{
    /// <summary>A server that holds seq 1 back until <paramref name="until"/>, and reports when seq 2 is answered 409.</summary>
    private static FakeProducerServer SeqOneHeldBack(Task until, TaskCompletionSource laterRejected) => new()
    {
        BeforeProcessing = (_, _, seq) => seq == 1 ? until : Task.CompletedTask,
        AfterProcessing = (_, _, seq, status) =>
        {
            if (seq == 2 && status == HttpStatusCode.Conflict) laterRejected.TrySetResult();
            return Task.CompletedTask;
        },
    };

    /// <summary>Stores seq 0 ("0;"), which confirms the epoch: the producer pipelines from then on.</summary>
    private static async Task StoreFirstBatchAsync(IdempotentProducer producer)
    {
        await producer.AppendAsync("0;");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
    }

    [Fact]
    public async Task Gap_from_an_overtaken_batch_is_recovered_by_resending_after_the_earlier_one()
    {
        // Seq 1 is delayed until seq 2 has overtaken it and been answered 409 (expected 1).
        var laterRejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = SeqOneHeldBack(until: laterRejected.Task, laterRejected);
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = 5; o.MaxBatchItems = 1; });
        using var _ = fake;

        await StoreFirstBatchAsync(producer);
        await producer.AppendAsync("first;");
        await producer.AppendAsync("second;");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0;", "first;", "second;"], server.Stored);
        Assert.Equal(["0", "1", "2", "2"], server.Handler.Requests.Select(r => r.Seq()).Order());
    }

    [Fact]
    public async Task Gap_answer_arriving_after_the_earlier_batch_completed_is_still_recovered()
    {
        // Upstream C# waits only for completions that happen after it starts waiting, so a
        // completion that lands first is missed and the batch is dropped after a 30 s timeout.
        var laterRejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var earlierAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeProducerServer
        {
            BeforeProcessing = (_, _, seq) => seq == 1 ? laterRejected.Task : Task.CompletedTask,
            AfterProcessing = async (_, _, seq, status) =>
            {
                if (seq == 1) earlierAnswered.TrySetResult();
                if (seq == 2 && status == HttpStatusCode.Conflict)
                {
                    laterRejected.TrySetResult();
                    await earlierAnswered.Task;
                    await Task.Delay(50); // let the client finish with seq 1 before it sees this 409
                }
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = 5; o.MaxBatchItems = 1; });
        using var _ = fake;

        await StoreFirstBatchAsync(producer);
        await producer.AppendAsync("first;");
        await producer.AppendAsync("second;");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0;", "first;", "second;"], server.Stored);
    }

    [Fact]
    public async Task No_new_batch_starts_while_an_overtaken_one_waits_to_be_resent()
    {
        // Sent meanwhile, a new batch would reach the server before the resend and be refused too.
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var laterRejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = SeqOneHeldBack(until: releaseFirst.Task, laterRejected);
        using var logs = new FakeLogs();
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = 5; o.MaxBatchItems = 1; }, c => c.LoggerFactory = logs);
        using var _ = fake;

        await StoreFirstBatchAsync(producer);
        await producer.AppendAsync("first;");
        await producer.AppendAsync("second;");
        await laterRejected.Task.WaitAsync(TestTimeouts.Hang);
        // The client has taken in the 409 once it logs the batch as reordered (event 45, after parking it).
        await Task.Run(async () => { while (logs.Of(45).Count == 0) await Task.Delay(10); }).WaitAsync(TestTimeouts.Hang);
        await producer.AppendAsync("third;");
        await Task.Delay(100);
        releaseFirst.TrySetResult();
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0;", "first;", "second;", "third;"], server.Stored);
        Assert.Equal(["0", "1", "2", "2", "3"], server.Handler.Requests.Select(r => r.Seq()).Order());
    }

    [Fact]
    public async Task Batches_refused_together_are_resent_together_once_the_earlier_one_is_stored()
    {
        // Seqs 2-4 all reach the server before seq 1 and are refused; seq 1 is held until then. Once
        // it is stored, the three resends go out at once rather than each waiting for the one before
        // it to be answered.
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refused = 0;
        var allRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, peakResends = 0;
        var server = new FakeProducerServer
        {
            BeforeProcessing = async (_, _, seq) =>
            {
                if (seq == 0) return; // the first batch, stored alone
                if (seq == 1) await allRefused.Task;
                else if (!allRefused.Task.IsCompleted)
                {
                    if (Interlocked.Increment(ref arrived) == 3) allArrived.TrySetResult();
                    await allArrived.Task;
                }
                else
                {
                    InterlockedMax(ref peakResends, Interlocked.Increment(ref current));
                    // A resend stays on the server until another one overlaps it; bounded, since resends sent one by
                    // one (what this test catches) never overlap.
                    var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
                    while (Volatile.Read(ref peakResends) < 2 && DateTime.UtcNow < until) await Task.Delay(5);
                    Interlocked.Decrement(ref current);
                }
            },
            AfterProcessing = (_, _, seq, status) =>
            {
                if (seq > 1 && status == HttpStatusCode.Conflict && Interlocked.Increment(ref refused) == 3) allRefused.TrySetResult();
                return Task.CompletedTask;
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = 4; o.MaxBatchItems = 1; });
        using var _ = fake;

        await StoreFirstBatchAsync(producer);
        var items = Enumerable.Range(1, 4).Select(i => $"{i};").ToList();
        foreach (var item in items) await producer.AppendAsync(item);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0;", .. items], server.Stored);
        Assert.True(peakResends > 1, $"resends overlapped at most {peakResends} at a time");
    }

    [Fact]
    public async Task Many_batches_in_flight_with_random_reordering_are_stored_once_in_order()
    {
        var random = new Random(7);
        var server = new FakeProducerServer
        {
            BeforeProcessing = async (_, _, _) =>
            {
                int delay;
                lock (random) delay = random.Next(0, 4);
                await Task.Delay(delay);
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => o.MaxInFlight = 5);
        using var _ = fake;

        for (var i = 0; i < 60; i++) await producer.AppendAsync($"{i};");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        // Batch boundaries depend on timing (appends share a batch while every slot is busy); the
        // concatenation is what must be exact.
        Assert.Equal(string.Concat(Enumerable.Range(0, 60).Select(i => $"{i};")), string.Concat(server.Stored));
    }

    [Fact]
    public async Task After_a_reordering_fewer_batches_are_sent_at_once()
    {
        // Seq 2 overtakes seq 1 and is refused; from then on the server must never hold more than
        // half of MaxInFlight at once while the queued batches drain.
        const int MaxInFlight = 4;
        var laterRejected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int current = 0, peakAfterGap = 0;
        using var logs = new FakeLogs();
        var server = new FakeProducerServer
        {
            BeforeProcessing = async (_, _, seq) =>
            {
                var now = Interlocked.Increment(ref current);
                if (laterRejected.Task.IsCompleted && seq > MaxInFlight) InterlockedMax(ref peakAfterGap, now);
                if (seq == 1)
                {
                    await laterRejected.Task;
                    // The client has taken in a 409 (and narrowed its window) once it logs a batch as reordered
                    // (event 45): only then does this slot free up.
                    while (logs.Of(45).Count == 0) await Task.Delay(5);
                }
                else await Task.Delay(20); // long enough that the client always has the window full
            },
            AfterProcessing = (_, _, seq, status) =>
            {
                Interlocked.Decrement(ref current);
                if (seq == 2 && status == HttpStatusCode.Conflict) laterRejected.TrySetResult();
                return Task.CompletedTask;
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = MaxInFlight; o.MaxBatchItems = 1; }, c => c.LoggerFactory = logs);
        using var _ = fake;

        // Widening from 2 back to 3 takes 2 × CompletionsPerStep = 8 in-order completions; after the halving
        // there are at most 7 here (seq 1, then 5 to 10; 2 to 4 were refused).
        await StoreFirstBatchAsync(producer);
        var items = Enumerable.Range(1, 10).Select(i => $"{i};").ToList();
        foreach (var item in items) await producer.AppendAsync(item);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0;", .. items], server.Stored);
        Assert.InRange(peakAfterGap, 1, MaxInFlight / 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
