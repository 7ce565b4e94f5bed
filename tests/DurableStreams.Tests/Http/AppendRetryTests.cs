using System.Net;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SequenceServer;

namespace DurableStreams.Tests.Http;

/// <summary>
/// Which append failures are resent (pitfall W3): a plain append may already be stored after a 5xx,
/// so only failures that certainly stored nothing are retried, unless the append is producer-tagged
/// and the server can deduplicate the resend.
/// </summary>
public sealed class AppendRetryTests
{
    private static FakeClient Create(SequenceServer server, bool safeAppendRetries) =>
        new(server.Handler, o => o.SafeAppendRetries = safeAppendRetries);

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Untagged_append_is_retried_after_a_status_that_stored_nothing(int status)
    {
        var server = new SequenceServer(Fail(status), Ok);
        using var fake = Create(server, safeAppendRetries: false);

        var result = await fake.Client.GetStream("s", "text/plain").AppendAsync("hello").WaitAsync(TestTimeouts.Hang);

        Assert.Equal("1_0", result.Offset);
        var posts = server.Handler.Posts;
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("hello", p.BodyText));
        Assert.All(posts, p => Assert.Null(p.Header("Producer-Id")));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task Untagged_append_is_not_retried_after_a_status_that_may_have_stored_it(int status)
    {
        var server = new SequenceServer(Fail(status), Ok);
        using var fake = Create(server, safeAppendRetries: false);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("hello").WaitAsync(TestTimeouts.Hang));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Single(server.Handler.Posts);
    }

    [Fact]
    public async Task Tagged_append_is_retried_after_500_with_the_same_producer_numbers()
    {
        var server = new SequenceServer(Fail(500), Ok);
        using var fake = Create(server, safeAppendRetries: true);

        await fake.Client.GetStream("s", "text/plain").AppendAsync("hello").WaitAsync(TestTimeouts.Hang);

        var posts = server.Handler.Posts;
        Assert.Equal(2, posts.Count);
        Assert.NotNull(posts[0].Header("Producer-Id"));
        foreach (var header in new[] { "Producer-Id", "Producer-Epoch", "Producer-Seq" })
            Assert.Equal(posts[0].Header(header), posts[1].Header(header));
        Assert.Equal("hello", posts[1].BodyText);
    }

    [Fact]
    public async Task Refused_connection_is_retried_even_for_an_untagged_append()
    {
        var attempts = 0;
        var handler = new FakeHttpHandler(request =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
                throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused");
            return Respond.Appended("1_0");
        });
        using var fake = new FakeClient(handler, o => o.SafeAppendRetries = false);

        await fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang);

        Assert.Equal(2, handler.Posts.Count);
    }

    [Fact]
    public async Task Connection_lost_after_sending_is_not_retried_for_an_untagged_append()
    {
        var handler = new FakeHttpHandler(request =>
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "the server closed the connection"));
        using var fake = new FakeClient(handler, o => o.SafeAppendRetries = false);

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.Network, error.Code);
        Assert.Null(error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(handler.Posts);
    }

    [Fact]
    public async Task Close_only_is_idempotent_and_retried_after_500()
    {
        var server = new SequenceServer(Fail(500), r => Respond.Appended("1_9", ("Stream-Closed", "true")));
        using var fake = Create(server, safeAppendRetries: false);

        var result = await fake.Client.GetStream("s", "text/plain").CloseAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("1_9", result.FinalOffset);
        var posts = server.Handler.Posts;
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("true", p.Header("Stream-Closed")));
    }
}
