using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// Sessions of a producer id (§5.2.1 restart flow). A duplicate answer (204) to a batch this instance
/// never sent means another writer holds its number; a new session claims past it, an explicit epoch
/// fails. A duplicate answer after an attempt that may have landed is the ordinary retry once the
/// epoch is confirmed, and an unknown outcome before. Faults here are ones the reference server
/// cannot produce on demand (a reset after the server stored the batch, a crafted Producer-Seq).
/// </summary>
public sealed class ProducerSessionTests
{
    /// <summary>A reset after the request was sent: the client cannot know whether the server stored it.</summary>
    private static HttpRequestException Reset() => new(HttpRequestError.ResponseEnded, "connection reset (test)");

    [Fact]
    public async Task New_session_whose_first_batch_is_a_duplicate_claims_the_next_epoch()
    {
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 0, lastSeq: 2); // an earlier instance's session
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a"], server.Stored);
        Assert.Equal(1, producer.Epoch);
        Assert.Equal([("0", "0"), ("1", "0")], server.Handler.Requests.Select(r => (r.Epoch(), r.Seq())));
    }

    [Fact]
    public async Task New_session_fenced_before_its_first_batch_claims_past_the_servers_epoch()
    {
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 7, lastSeq: 3);
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a"], server.Stored);
        Assert.Equal(8, producer.Epoch);
    }

    [Fact]
    public async Task Explicit_epoch_whose_first_batch_is_a_duplicate_fails_with_a_collision()
    {
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 0, lastSeq: 0);
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("mine");

        var error = await Assert.ThrowsAsync<ProducerEpochCollisionException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(DurableStreamErrorCode.ProducerEpochCollision, error.Code);
        Assert.Equal(("p", 0L, 0L, 0L), (error.ProducerId, error.Epoch, error.Seq, error.ServerSeq));
        Assert.Contains("'p'", error.Message, StringComparison.Ordinal);
        Assert.Contains("epoch 0, seq 0", error.Message, StringComparison.Ordinal);
        Assert.Contains(FakeClient.UrlOf("s").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("Another writer uses producer id 'p' at epoch 0", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Stored);
        Assert.Single(server.Handler.Requests); // no claim, no resend
        await Assert.ThrowsAsync<ProducerEpochCollisionException>(() => producer.AppendAsync("later").AsTask());
    }

    [Fact]
    public async Task Duplicate_after_attempts_that_stored_nothing_is_still_a_collision()
    {
        // 503 certainly stored nothing: the 204 to the third attempt cannot be the first two landing.
        var attempts = 0;
        var server = new FakeProducerServer
        {
            Override = (_, _, _) => Interlocked.Increment(ref attempts) <= 2 ? Respond.Status(HttpStatusCode.ServiceUnavailable, "busy") : null,
        };
        server.SeedProducer("p", epoch: 0, lastSeq: 0);
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("mine");

        await Assert.ThrowsAsync<ProducerEpochCollisionException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(3, server.Handler.Requests.Count);
        Assert.Empty(server.Stored);
    }

    [Fact]
    public async Task Ambiguous_duplicate_before_the_epoch_is_confirmed_fails_as_outcome_unknown()
    {
        // The first attempt is stored, then the connection drops; the retry is answered 204 with
        // Producer-Seq 0, exactly what an earlier session's single batch would produce.
        var resets = 0;
        var server = new FakeProducerServer
        {
            AfterProcessing = (_, _, _, status) =>
                status == HttpStatusCode.OK && Interlocked.Increment(ref resets) == 1 ? throw Reset() : Task.CompletedTask,
        };
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");

        var error = await Assert.ThrowsAsync<ProducerOutcomeUnknownException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(DurableStreamErrorCode.ProducerOutcomeUnknown, error.Code);
        Assert.Equal(("p", 0L, 0L), (error.ProducerId, error.Epoch, error.Seq));
        Assert.Contains("cannot tell whether", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], server.Stored); // stored once, and never resent under a new epoch
        Assert.All(server.Handler.Requests, r => Assert.Equal("0", r.Epoch()));
    }

    [Fact]
    public async Task Ambiguous_duplicate_after_the_epoch_is_confirmed_is_the_retry_of_a_stored_batch()
    {
        var resets = 0;
        var server = new FakeProducerServer
        {
            AfterProcessing = (_, _, seq, status) =>
                seq == 1 && status == HttpStatusCode.OK && Interlocked.Increment(ref resets) == 1 ? throw Reset() : Task.CompletedTask,
        };
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang); // 200: the epoch is this instance's
        await producer.AppendAsync("b");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a", "b"], server.Stored);
        Assert.Equal(["0", "1", "1"], server.Handler.Requests.Select(r => r.Seq()));
        Assert.Equal(0, producer.Epoch);
    }

    [Fact]
    public async Task Duplicate_whose_Producer_Seq_is_above_anything_sent_is_a_collision()
    {
        // Seq 1's first attempt is reset (it may have landed), and its retry is answered 204 with
        // Producer-Seq 9: this instance never sent seq 9, so the number belongs to another writer.
        var seqOneAttempts = 0;
        var server = new FakeProducerServer
        {
            BeforeProcessing = (_, _, seq) => seq == 1 && Interlocked.Increment(ref seqOneAttempts) == 1 ? throw Reset() : Task.CompletedTask,
            Override = (_, epoch, seq) => seq == 1
                ? Respond.Status(HttpStatusCode.NoContent, null, ("Producer-Epoch", $"{epoch}"), ("Producer-Seq", "9"))
                : null,
        };
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
        await producer.AppendAsync("b");

        var error = await Assert.ThrowsAsync<ProducerEpochCollisionException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal((0L, 1L, 9L), (error.Epoch, error.Seq, error.ServerSeq));
        Assert.Equal(["a"], server.Stored);
    }

    [Fact]
    public async Task Confirmed_session_fenced_by_a_newer_instance_fails_and_does_not_claim()
    {
        var server = new FakeProducerServer();
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
        server.SeedProducer("p", epoch: 1, lastSeq: 0); // a newer instance claimed epoch 1
        await producer.AppendAsync("zombie");

        var error = await Assert.ThrowsAsync<StaleProducerEpochException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(1, error.CurrentEpoch);
        Assert.Contains("fenced by a newer instance", error.Message, StringComparison.Ordinal);
        Assert.Contains("claimed epoch 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, producer.Epoch);
        Assert.Equal(["a"], server.Stored);
        Assert.All(server.Handler.Requests, r => Assert.Equal("0", r.Epoch()));
        await Assert.ThrowsAsync<StaleProducerEpochException>(() => producer.AppendAsync("more").AsTask());
    }

    [Fact]
    public async Task Fenced_after_an_attempt_that_may_have_landed_the_outcome_is_unknown()
    {
        // The first attempt is reset before the server sees it, but the client cannot know that;
        // meanwhile another instance takes epoch 3. Resending under epoch 4 could store the batch twice.
        var attempts = 0;
        FakeProducerServer server = null!;
        server = new FakeProducerServer
        {
            BeforeProcessing = (_, _, _) =>
            {
                if (Interlocked.Increment(ref attempts) != 1) return Task.CompletedTask;
                server.SeedProducer("p", epoch: 3, lastSeq: 0);
                throw Reset();
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.AppendAsync("a");

        await Assert.ThrowsAsync<ProducerOutcomeUnknownException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Empty(server.Stored);
        Assert.All(server.Handler.Requests, r => Assert.Equal("0", r.Epoch()));
    }

    [Fact]
    public async Task New_session_closing_first_claims_when_its_close_repeated_an_earlier_number()
    {
        // A close without data is answered 204 either way (and the reference server even says
        // Stream-Closed): the producer asks the stream, finds it open and claims the next epoch.
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 0, lastSeq: 0);
        var (fake, producer) = ProducerHarness.Create(server, o => o.Epoch = null);
        using var _ = fake;

        await producer.CloseStreamAsync().WaitAsync(TestTimeouts.Hang);

        Assert.True(server.Closed);
        Assert.Equal(1, producer.Epoch);
        Assert.Contains(server.Handler.Requests, r => r.Method == HttpMethod.Head);
    }
}
