using System.Net;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SequenceServer;

namespace DurableStreams.Tests.Writing;

/// <summary>
/// Every failed write says whether its data was stored: refused before storing (NotStored) or sent
/// without a definite answer (Unknown). Requests other than writes carry no outcome.
/// </summary>
public sealed class WriteOutcomeTests
{
    private static FakeClient Create(FakeHttpHandler handler, bool tagged, int retries = 0) =>
        new(handler, o =>
        {
            o.SafeAppendRetries = tagged;
            o.Retry.MaxRetries = retries;
        });

    [Theory]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(413, false)]
    [InlineData(429, false)]
    [InlineData(503, false)]
    [InlineData(400, true)]
    [InlineData(404, true)]
    [InlineData(409, true)]
    [InlineData(413, true)]
    [InlineData(429, true)]
    [InlineData(503, true)]
    public async Task A_refusal_is_NotStored(int status, bool tagged)
    {
        var server = new SequenceServer(Fail(status));
        using var fake = Create(server.Handler, tagged);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal(WriteOutcome.NotStored, error.Outcome);
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(502, false)]
    [InlineData(504, false)]
    [InlineData(408, false)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(408, true)]
    public async Task A_failure_after_the_server_may_have_stored_it_is_Unknown(int status, bool tagged)
    {
        var server = new SequenceServer(Fail(status));
        using var fake = Create(server.Handler, tagged);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal(WriteOutcome.Unknown, error.Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_connection_is_NotStored(bool tagged)
    {
        var handler = new FakeHttpHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"));
        using var fake = Create(handler, tagged);

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal(WriteOutcome.NotStored, error.Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_connection_dropped_after_sending_is_Unknown(bool tagged)
    {
        var handler = new FakeHttpHandler(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "the server closed the connection"));
        using var fake = Create(handler, tagged);

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal(WriteOutcome.Unknown, error.Outcome);
    }

    [Fact]
    public async Task A_timeout_after_sending_is_Unknown()
    {
        var handler = new FakeHttpHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Respond.Appended("1_0");
        });
        using var fake = new FakeClient(handler, o =>
        {
            o.Retry.MaxRetries = 0;
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
        });

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(WriteOutcome.Unknown, error.Outcome);
    }

    [Fact]
    public async Task A_refusal_after_an_attempt_that_may_have_landed_is_still_Unknown()
    {
        var attempts = 0;
        var handler = new FakeHttpHandler(_ => Interlocked.Increment(ref attempts) == 1
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "dropped after forwarding")
            : Respond.Status(HttpStatusCode.ServiceUnavailable, "restarting"));
        using var fake = Create(handler, tagged: true, retries: 2);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(3, handler.Posts.Count);
        Assert.Equal(WriteOutcome.Unknown, error.Outcome);
    }

    [Fact]
    public async Task A_failed_close_has_an_outcome()
    {
        var server = new SequenceServer(Fail(503));
        using var fake = Create(server.Handler, tagged: true);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").CloseAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(WriteOutcome.NotStored, error.Outcome);
    }

    [Fact]
    public async Task Requests_that_write_nothing_have_no_outcome()
    {
        var server = new SequenceServer(Fail(500));
        using var fake = Create(server.Handler, tagged: true);
        var stream = fake.Client.GetStream("s", "text/plain");

        var head = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.HeadAsync().WaitAsync(TestTimeouts.Hang));
        var read = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.ReadAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Null(head.Outcome);
        Assert.Null(read.Outcome);
    }

    [Fact]
    public async Task After_NotStored_the_handle_keeps_its_epoch_and_sequence_so_a_resend_is_stored_once()
    {
        var server = new SequenceServer(Fail(503), Ok);
        using var fake = Create(server.Handler, tagged: true);
        var stream = fake.Client.GetStream("s", "text/plain");

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang));
        Assert.Equal(WriteOutcome.NotStored, error.Outcome);
        await stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang);

        var posts = server.Handler.Posts;
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Epoch(), posts[1].Epoch());
        Assert.Equal(posts[0].Seq(), posts[1].Seq());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(504)]
    public async Task After_Unknown_the_handle_moves_to_a_new_epoch(int status)
    {
        var server = new SequenceServer(Fail(status), Ok);
        using var fake = Create(server.Handler, tagged: true);
        var stream = fake.Client.GetStream("s", "text/plain");

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang));
        Assert.Equal(WriteOutcome.Unknown, error.Outcome);
        await stream.AppendAsync("y").WaitAsync(TestTimeouts.Hang);

        var posts = server.Handler.Posts;
        Assert.Equal("0", posts[0].Epoch());
        Assert.Equal("1", posts[1].Epoch());
        Assert.Equal("0", posts[1].Seq());
    }

    [Fact]
    public async Task A_refused_connection_does_not_move_the_handle_to_a_new_epoch()
    {
        var attempts = 0;
        var handler = new FakeHttpHandler(_ => Interlocked.Increment(ref attempts) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused")
            : Respond.Appended("1_0"));
        using var fake = Create(handler, tagged: true);
        var stream = fake.Client.GetStream("s", "text/plain");

        await Assert.ThrowsAsync<DurableStreamNetworkException>(() => stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang));
        await stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang);

        var posts = handler.Posts;
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Epoch(), posts[1].Epoch());
        Assert.Equal(posts[0].Seq(), posts[1].Seq());
    }
}
