using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// Flush never loses data silently (pitfall P8): it completes only when everything appended before
/// it is acknowledged, and throws the first failure, every time it is asked.
/// </summary>
public sealed class ProducerFlushTests
{
    [Fact]
    public async Task Flush_throws_the_failure_and_keeps_throwing()
    {
        // Seq 0 is held until all three are queued, so the failure of seq 1 cannot reach AppendAsync first.
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeProducerServer
        {
            BeforeProcessing = (_, _, seq) => seq == 0 ? queued.Task : Task.CompletedTask,
            Override = (_, _, seq) => seq == 1 ? Respond.Status(HttpStatusCode.BadRequest, "rejected batch") : null,
        };
        var (fake, producer) = ProducerHarness.Create(server, o => o.MaxBatchItems = 1);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.AppendAsync("b");
        await producer.AppendAsync("c");
        queued.SetResult();

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        var again = await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Same(error, again);
        await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.AppendAsync("d").AsTask());
        Assert.Equal(["a"], server.Stored);
        Assert.DoesNotContain(server.Handler.Requests, r => r.Seq() == "2"); // nothing after the failed batch can land in order
    }

    [Fact]
    public async Task Flush_never_reports_success_when_a_pipelined_batch_failed()
    {
        // Batch 3 fails for good (after retries, with no outage resending); batches after it meet a
        // sequence gap and must fail too.
        var server = new FakeProducerServer
        {
            Override = (_, _, seq) => seq == 3 ? Respond.Status(HttpStatusCode.InternalServerError, "disk full") : null,
        };
        var (fake, producer) = ProducerHarness.Create(server, o => { o.MaxInFlight = 5; o.MaxBatchItems = 1; o.OutageRetryTimeout = TimeSpan.Zero; });
        using var _ = fake;

        for (var i = 0; i < 10; i++) await producer.AppendAsync($"m{i};");

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal(WriteOutcome.Unknown, error.Outcome); // a 500 may come after the server stored it
        Assert.Equal(["m0;", "m1;", "m2;"], server.Stored); // nothing from batch 3 on was stored
    }

    [Fact]
    public async Task Flush_on_a_missing_stream_throws_not_found()
    {
        var server = new FakeProducerServer { Override = (_, _, _) => Respond.Status(HttpStatusCode.NotFound, "Stream not found") };
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");

        var error = await Assert.ThrowsAsync<StreamNotFoundException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(DurableStreamErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task Batches_failing_with_5xx_are_retried_with_the_same_numbers_and_stored_once()
    {
        var failures = 0;
        var server = new FakeProducerServer
        {
            Override = (_, _, seq) => seq == 0 && Interlocked.Increment(ref failures) <= 2 ? Respond.Status(HttpStatusCode.ServiceUnavailable, "busy") : null,
        };
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.AppendAsync("b");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a", "b"], server.Stored);
        Assert.Equal(["0", "0", "0", "1"], server.Handler.Requests.Select(r => r.Seq()));
        Assert.All(server.Handler.Requests, r => Assert.Equal("0", r.Epoch()));
    }

    [Fact]
    public async Task Dispose_reports_a_failure_that_no_flush_has_reported()
    {
        var server = new FakeProducerServer { Override = (_, _, _) => Respond.Status(HttpStatusCode.BadRequest, "rejected") };
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");
        await server.Handler.WaitUntilAsync(r => r.Count == 1, "the batch to be rejected");
        // Give the client a moment to record the rejection. If it has not yet, Dispose's own flush
        // reports it and the test passes either way: it can only fail if the failure is swallowed.
        await Task.Delay(200);

        await Assert.ThrowsAnyAsync<DurableStreamException>(async () => await producer.DisposeAsync());
    }
}
