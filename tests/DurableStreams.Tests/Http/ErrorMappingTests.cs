using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Http;

/// <summary>
/// Status-to-exception mapping for responses a test server can only produce on demand (pitfall §8).
/// </summary>
public sealed class ErrorMappingTests
{
    [Fact]
    public async Task Closed_flag_wins_over_a_stream_seq_conflict()
    {
        // Server precedence is closed, then content type, then sequence: test the flag first.
        var handler = new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.Conflict, "closed", ("Stream-Closed", "true"), ("Stream-Next-Offset", "9_9")));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAsync<StreamClosedException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x", new AppendOptions { Seq = "5" }));

        Assert.Equal("9_9", error.FinalOffset);
    }

    [Fact]
    public async Task A_403_without_a_producer_epoch_on_a_plain_append_is_forbidden_not_a_stale_epoch()
    {
        // Plain appends carry the handle's own producer tags (SafeAppendRetries). An authorization
        // 403 is still Forbidden: only a 403 that reports Producer-Epoch is an epoch fence.
        var handler = new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.Forbidden, "no write access"));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x"));

        Assert.Equal(DurableStreamErrorCode.Forbidden, error.Code);
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [Fact]
    public async Task Statuses_without_a_specific_meaning_keep_status_url_and_body()
    {
        var handler = new FakeHttpHandler(_ => Respond.Status((HttpStatusCode)418, "teapot says no"));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s").HeadAsync());

        Assert.Equal(DurableStreamErrorCode.UnexpectedStatus, error.Code);
        Assert.Equal((HttpStatusCode)418, error.Status);
        Assert.Equal(FakeClient.UrlOf("s"), error.Url);
        Assert.Contains("teapot says no", error.ResponseText);
    }
}
