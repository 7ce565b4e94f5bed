using System.Net;
using System.Text;
using DurableStreams.Tests.Support;
using Microsoft.Extensions.Logging;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Answers a real server never gives but a broken server, CDN or proxy can (issue 12): each must end the
/// read with a typed exception, never repeat data, never grow memory without bound, never hang.
/// </summary>
public sealed partial class ReadHardeningTests
{
    private static ReadOptions Live(LiveMode mode) => new() { Live = mode };

    [Fact]
    public async Task A_read_answer_without_Stream_Next_Offset_is_a_protocol_violation_and_is_not_retried()
    {
        var handler = new FakeHttpHandler(r => r.IsCatchUp ? Respond.Status(HttpStatusCode.OK, "data") : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(
            () => fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ProtocolViolation, error.Code);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Equal(FakeClient.UrlOf("s"), error.Url);
        Assert.Equal(Offset.Beginning, error.Offset);
        Assert.Contains("Stream-Next-Offset", error.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_later_answer_without_Stream_Next_Offset_stops_the_read_after_the_data_before_it()
    {
        var handler = new FakeHttpHandler(r => r.Query("offset") switch
        {
            "-1" => Respond.Read("a", "text/plain", "1", upToDate: false),
            "1" => Respond.Status(HttpStatusCode.OK, "b"),
            _ => Respond.Unexpected(r),
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync();

        var delivered = new List<string>();
        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(async () =>
        {
            await foreach (var text in response.ReadTextAsync().WithHangGuard()) delivered.Add(text);
        });

        Assert.Equal(["a"], delivered);
        Assert.Equal(new Offset("1"), error.Offset);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_long_poll_200_without_Stream_Cursor_is_a_protocol_violation()
    {
        var handler = new FakeHttpHandler(r =>
            r.IsCatchUp ? Respond.Read("", "text/plain", "0")
            : r.IsLongPoll ? Respond.Read("x", "text/plain", "1")
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(() => response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ProtocolViolation, error.Code);
        Assert.Contains("Stream-Cursor", error.Message);
        Assert.Single(handler.Requests, r => r.IsLongPoll);
    }

    [Fact]
    public async Task A_long_poll_200_without_Stream_Cursor_is_accepted_when_the_stream_is_closed()
    {
        var handler = new FakeHttpHandler(r =>
            r.IsCatchUp ? Respond.Read("", "text/plain", "0")
            : r.IsLongPoll ? Respond.Read("x", "text/plain", "1", closed: true)
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        Assert.Equal("x", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
    }

    [Theory]
    [InlineData("text/plain", "again", false)]
    [InlineData("text/plain", "again", true)]
    [InlineData("application/json", "[1,2]", false)]
    public async Task Data_that_does_not_advance_the_offset_is_never_delivered(string contentType, string body, bool upToDate)
    {
        // The answer for offset 5 says "continue at 5": following it would return the same data forever.
        var handler = new FakeHttpHandler(r => r.Query("offset") == "5"
            ? Respond.Read(body, contentType, "5", upToDate)
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(
            () => fake.Client.GetStream("s").ReadAsync(new ReadOptions { Offset = new Offset("5") }).WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ProtocolViolation, error.Code);
        Assert.Equal(new Offset("5"), error.Offset);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData("text/plain", "")]
    [InlineData("application/json", "[]")]
    [InlineData("application/json", " [ ]\n")]
    public async Task An_empty_answer_at_the_tail_may_repeat_the_offset(string contentType, string body)
    {
        var handler = new FakeHttpHandler(r => r.Query("offset") == "5" ? Respond.Read(body, contentType, "5") : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Offset = new Offset("5") });

        if (contentType == "application/json")
            Assert.Empty(await response.ReadAllJsonAsync(TestJsonContext.Default.JsonElement).WaitAsync(TestTimeouts.Hang));
        else
            Assert.Empty(await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(new Offset("5"), response.Offset);
    }

    [Fact]
    public async Task An_SSE_control_that_commits_data_without_advancing_is_a_protocol_violation()
    {
        using var script = new SseScript("text/plain",
            Respond.Sse(Data("a") + Control("0", cursor: "c1") + Data("a") + Control("0", cursor: "c2")));

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(() => script.ReadAllTextAsync());

        Assert.Equal(DurableStreamErrorCode.ProtocolViolation, error.Code);
        Assert.Single(script.SseRequests);
    }

    [Fact]
    public async Task A_stale_cached_long_poll_answer_is_bypassed_with_a_cache_buster()
    {
        // A cache keeps answering offset 1 / cursor c1 with the same instant 204; the origin has "b".
        var handler = new FakeHttpHandler(r =>
        {
            if (r.IsCatchUp) return Respond.Read("a", "text/plain", "1");
            if (!r.IsLongPoll) return Respond.Unexpected(r);
            if (r.Query("cache_buster") is { Length: > 0 }) return Respond.Read("b", "text/plain", "2", closed: true);
            return Respond.Status(HttpStatusCode.NoContent, null, ("Stream-Next-Offset", "1"), ("Stream-Cursor", "c1"), ("Stream-Up-To-Date", "true"));
        });
        var logs = new CapturingLoggerFactory();
        using var fake = new FakeClient(handler, o => o.LoggerFactory = logs);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("ab", text);
        var polls = handler.Requests.Where(r => r.IsLongPoll).ToList();
        Assert.InRange(polls.Count, FastLoopRepeats + 1, FastLoopRepeats + 2); // the first poll has no cursor yet
        Assert.Equal(1, logs.Count(101));
    }

    private const int FastLoopRepeats = 5;

    [Fact]
    public async Task A_loop_that_cache_busting_does_not_fix_ends_with_a_ReadLoop_error_logged_once()
    {
        // Offset 3 answered with "not up to date, continue at 3" and no data: a reader would ask forever.
        var handler = new FakeHttpHandler(r => r.IsCatchUp ? Respond.Read("", "text/plain", "3", upToDate: false) : Respond.Unexpected(r));
        var logs = new CapturingLoggerFactory();
        using var fake = new FakeClient(handler, o => o.LoggerFactory = logs);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Offset = new Offset("3") });

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ReadLoop, error.Code);
        Assert.Equal(new Offset("3"), error.Offset);
        Assert.InRange(handler.Requests.Count, 20, 30);
        Assert.Contains(handler.Requests, r => r.Query("cache_buster") is { Length: > 0 });
        Assert.Equal(1, logs.Count(101));
        Assert.Equal(1, logs.Count(102));
    }

    [Fact]
    public async Task SSE_data_without_control_events_is_bounded_by_MaxSsePendingBytes()
    {
        // An endless run of data events and never a control event.
        var endless = new EndlessStream(Encoding.UTF8.GetBytes(Data(new string('x', 1000))));
        await AssertSseOverflowAsync(endless);
    }

    [Fact]
    public async Task An_SSE_event_that_never_ends_is_bounded_by_MaxSsePendingBytes()
    {
        // One event whose data line never ends: the parser alone would buffer it whole.
        var endless = new EndlessStream(Encoding.UTF8.GetBytes(new string('x', 1000)), Encoding.UTF8.GetBytes("event: data\ndata: "));
        await AssertSseOverflowAsync(endless);
    }

    private static async Task AssertSseOverflowAsync(EndlessStream body)
    {
        var handler = new FakeHttpHandler(r =>
            r.IsCatchUp ? Respond.Read("", "text/plain", "0")
            : r.IsSse ? Respond.Sse(new StreamContent(body))
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s")
            .ReadAsync(new ReadOptions { Live = LiveMode.Sse, MaxSsePendingBytes = 256 * 1024 });

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.SseBufferOverflow, error.Code);
        Assert.Equal(new Offset("0"), error.Offset);
        Assert.InRange(body.Served, 256 * 1024, 4 * 1024 * 1024);
        Assert.Single(handler.Requests, r => r.IsSse);
    }

    [Fact]
    public async Task The_SSE_bound_counts_only_what_follows_the_last_control_event()
    {
        var events = new StringBuilder();
        for (var i = 1; i <= 50; i++) events.Append(Data(new string('x', 1000))).Append(Control($"{i}", cursor: $"c{i}"));
        events.Append(Control("51", closed: true));
        var handler = new FakeHttpHandler(r =>
            r.IsCatchUp ? Respond.Read("", "text/plain", "0")
            : r.IsSse ? Respond.Sse(events.ToString())
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        // 50 KB in all, 1 KB per commit: well inside a 16 KiB bound.
        await using var response = await fake.Client.GetStream("s")
            .ReadAsync(new ReadOptions { Live = LiveMode.Sse, MaxSsePendingBytes = 16 * 1024 });

        var bytes = await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(50 * 1000, bytes.Length);
    }

    [Fact]
    public void Read_options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOptions { MaxSsePendingBytes = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOptions { LiveRetryBudget = TimeSpan.Zero }.Validate());
        new ReadOptions { LiveRetryBudget = null }.Validate();
        Assert.Equal(64L * 1024 * 1024, new ReadOptions().MaxSsePendingBytes);
        Assert.Null(new ReadOptions().LiveRetryBudget);
    }

    [Fact]
    public async Task Invalid_read_options_fail_the_read_before_any_request()
    {
        var handler = new FakeHttpHandler(Respond.Unexpected);
        using var fake = new FakeClient(handler);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.Sse, MaxSsePendingBytes = -1 }));
        Assert.Empty(handler.Requests);
    }
}
