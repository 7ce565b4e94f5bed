using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// Bounded memory (pitfall P9): bytes buffered or in flight never exceed MaxBufferedBytes; an
/// append that does not fit waits until an acknowledgement frees space.
/// </summary>
public sealed class ProducerBackPressureTests
{
    /// <summary>A server that holds seq 0 until the returned source is completed.</summary>
    private static (FakeProducerServer Server, TaskCompletionSource Release) FirstBatchHeld()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (new FakeProducerServer { BeforeProcessing = (_, _, seq) => seq == 0 ? release.Task : Task.CompletedTask }, release);
    }

    [Fact]
    public async Task Append_waits_while_the_buffer_is_full_and_resumes_after_an_ack()
    {
        var (server, firstHeld) = FirstBatchHeld();
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxBufferedBytes = 10; o.MaxInFlight = 5; });
        using var _ = fake;

        await producer.AppendAsync("AAAAAAAA"); // 8 of 10 bytes, now in flight and held
        await server.Handler.WaitUntilAsync(r => r.Count == 1, "the first batch");
        var blocked = producer.AppendAsync("BBBBBBBB").AsTask(); // 8 more would exceed 10

        var winner = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(blocked, winner); // still waiting: nothing was acknowledged
        Assert.Single(server.Handler.Requests);

        firstHeld.SetResult();
        await blocked.WaitAsync(TestTimeouts.Hang);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("AAAAAAAABBBBBBBB", string.Concat(server.Stored));
    }

    [Fact]
    public async Task Without_a_limit_set_the_buffer_holds_twice_what_the_in_flight_batches_carry()
    {
        // One batch of at most 4 bytes in flight: the default limit is 2 × 1 × 4 = 8 bytes.
        var (server, firstHeld) = FirstBatchHeld();
        var (fake, producer) = ProducerHarness.Create(server, o => o.MaxBatchBytes = 4);
        using var _ = fake;

        await producer.AppendAsync("AAAA"); // a full batch, sent and held
        await server.Handler.WaitUntilAsync(r => r.Count == 1, "the first batch");
        await producer.AppendAsync("BBBB").AsTask().WaitAsync(TestTimeouts.Hang); // 8 bytes: still fits
        var blocked = producer.AppendAsync("CCCC").AsTask(); // 12 would not

        var winner = await Task.WhenAny(blocked, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(blocked, winner);

        firstHeld.SetResult();
        await blocked.WaitAsync(TestTimeouts.Hang);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal("AAAABBBBCCCC", string.Concat(server.Stored));
    }

    [Fact]
    public async Task A_waiting_append_can_be_cancelled_and_its_data_is_never_sent()
    {
        var (server, firstHeld) = FirstBatchHeld();
        var (fake, producer) = ProducerHarness.Create(server, o => o.MaxBufferedBytes = 10);
        using var _ = fake;
        using var cts = new CancellationTokenSource();

        await producer.AppendAsync("AAAAAAAA");
        await server.Handler.WaitUntilAsync(r => r.Count == 1, "the first batch");
        var blocked = producer.AppendAsync("XXXXXXXX", cts.Token).AsTask();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(TestTimeouts.Hang));
        firstHeld.SetResult();
        await producer.AppendAsync("CC").AsTask().WaitAsync(TestTimeouts.Hang);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal("AAAAAAAACC", string.Concat(server.Stored));
    }

    [Fact]
    public async Task A_message_larger_than_the_whole_buffer_is_still_accepted_when_the_buffer_is_empty()
    {
        var server = new FakeProducerServer();
        var (fake, producer) = ProducerHarness.Create(server, o => o.MaxBufferedBytes = 4);
        using var _ = fake;

        await producer.AppendAsync("0123456789").AsTask().WaitAsync(TestTimeouts.Hang);
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["0123456789"], server.Stored);
    }
}
