using System.Collections.Concurrent;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// Where a read's opening catch-up GET buys nothing, it is skipped: an SSE read from <c>now</c> or from
/// the tail the handle last saw opens with its SSE request. Requests are counted on the wire.
/// </summary>
public sealed class LiveStartTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    /// <summary>Records every GET this client sends (mode and offset), then forwards it to the server.</summary>
    private sealed class ReadRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public ConcurrentQueue<(string? Live, string? Offset)> Reads { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
                Reads.Enqueue((query["live"], query["offset"]));
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    private (DurableStreamClient Client, ReadRecorder Recorder, HttpClient Http) Create()
    {
        var recorder = new ReadRecorder();
        var http = new HttpClient(recorder) { Timeout = Timeout.InfiniteTimeSpan };
        return (new DurableStreamClient(http, new DurableStreamClientOptions { BaseAddress = fixture.StreamBase }), recorder, http);
    }

    [Fact]
    public async Task An_sse_read_from_now_opens_with_its_sse_request_and_delivers_only_later_data()
    {
        var (client, recorder, http) = Create();
        using var _ = http;
        using var __ = client;
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("sse-now"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("old;");
        // Another handle: this one has not seen the tail, so only "now" can let it skip the catch-up.
        var reader = client.GetStream(stream.Url.ToString());

        await using var response = await reader.ReadAsync(new ReadOptions { Offset = Offset.Now, Live = LiveMode.Sse });
        Assert.True(response.UpToDate);
        Assert.NotEqual("now", response.Offset.Value); // the first control event gave a real offset
        await stream.AppendAsync("new;");
        await stream.CloseAsync();
        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("new;", text);
        var first = recorder.Reads.First();
        Assert.Equal(("sse", "now"), first);
        Assert.DoesNotContain(recorder.Reads, r => r.Live is null); // no catch-up GET at all
    }

    [Fact]
    public async Task An_sse_read_from_the_tail_the_handle_last_saw_opens_with_its_sse_request()
    {
        var (client, recorder, http) = Create();
        using var _ = http;
        using var __ = client;
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("sse-tail"), new CreateStreamOptions { ContentType = "text/plain" });
        var tail = (await stream.AppendAsync("old;")).Offset!.Value;

        await using var response = await stream.ReadAsync(new ReadOptions { Offset = tail, Live = LiveMode.Sse });
        await stream.AppendAsync("new;");
        await stream.CloseAsync();
        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("new;", text);
        Assert.Equal(("sse", tail.Value), recorder.Reads.First());
        Assert.DoesNotContain(recorder.Reads, r => r.Live is null);
    }

    [Fact]
    public async Task An_sse_read_from_an_older_offset_still_catches_up_with_a_plain_get_first()
    {
        var (client, recorder, http) = Create();
        using var _ = http;
        using var __ = client;
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("sse-old"), new CreateStreamOptions { ContentType = "text/plain" });
        var older = (await stream.AppendAsync("a;")).Offset!.Value;
        await stream.AppendAsync("b;");
        await stream.CloseAsync();

        await using var response = await stream.ReadAsync(new ReadOptions { Offset = older, Live = LiveMode.Sse });
        Assert.Equal("b;", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal((null, older.Value), recorder.Reads.First()); // cacheable catch-up first
    }

    [Fact]
    public async Task A_long_poll_read_from_now_still_opens_with_a_catch_up_get_so_opening_never_waits_for_the_hold()
    {
        var (client, recorder, http) = Create();
        using var _ = http;
        using var __ = client;
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("lp-now"), new CreateStreamOptions { ContentType = "text/plain" });

        await using var response = await stream.ReadAsync(new ReadOptions { Offset = Offset.Now, Live = LiveMode.LongPoll });
        Assert.Equal((null, "now"), recorder.Reads.First());
        await stream.AppendAsync("new;");
        await stream.CloseAsync();
        Assert.Equal("new;", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
    }
}
