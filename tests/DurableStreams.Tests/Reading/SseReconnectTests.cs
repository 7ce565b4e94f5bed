using System.Text;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// SSE connection lifecycle (pitfalls S1, S6, S7): servers end connections; the client resumes from
/// the last control event with its cursor, never after <c>streamClosed</c>, and only committed data
/// is delivered.
/// </summary>
public sealed class SseReconnectTests
{
    [Fact]
    public async Task Reconnects_from_the_last_control_offset_and_cursor_when_the_server_ends_the_connection()
    {
        using var script = new SseScript("text/plain",
            Respond.Sse(Data("a") + Control("10_1", cursor: "cur-1", upToDate: true)),
            Respond.Sse(Data("b") + Control("10_2", closed: true)));

        var text = await script.ReadAllTextAsync();

        Assert.Equal("ab", text);
        var sse = script.SseRequests;
        Assert.Equal(2, sse.Count);
        Assert.Equal("0", sse[0].Query("offset")); // where the opening catch-up ended
        Assert.Equal("10_1", sse[1].Query("offset"));
        Assert.Equal("cur-1", sse[1].Query("cursor"));
    }

    [Fact]
    public async Task Does_not_reconnect_after_stream_closed_and_releases_the_connection()
    {
        // The body stays open after the closing control; a client that kept reading would hang here.
        var body = new HangingStream(Encoding.UTF8.GetBytes(Data("a") + Control("1", closed: true)));
        using var script = new SseScript("text/plain", Respond.Sse(new StreamContent(body)));

        var text = await script.ReadAllTextAsync();

        Assert.Equal("a", text);
        Assert.Single(script.SseRequests);
        await body.Disposed.WaitAsync(TestTimeouts.Hang);
    }

    [Fact]
    public async Task Data_not_committed_by_a_control_before_a_disconnect_is_delivered_once()
    {
        // "b" arrives without its control; the server resends it on the next connection.
        using var script = new SseScript("text/plain",
            Respond.Sse(Data("a") + Control("1", cursor: "c1") + Data("b")),
            Respond.Sse(Data("b") + Control("2", closed: true)));

        var chunks = await script.ReadAllChunksAsync();

        var delivered = chunks.Where(c => !c.Data.IsEmpty).Select(c => (Encoding.UTF8.GetString(c.Data.Span), c.Offset)).ToList();
        Assert.Equal([("a", "1"), ("b", "2")], delivered);
        Assert.Equal("1", script.SseRequests[1].Query("offset"));
    }

    [Fact]
    public async Task Connections_that_keep_ending_at_once_fall_back_to_long_poll()
    {
        // Three empty connections in a row look like a buffering proxy (S7); long-poll takes over.
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (request.IsSse) return Respond.Sse(Control("0", cursor: "c", upToDate: true));
            if (request.IsLongPoll) return Respond.Read("tail", "text/plain", "1", closed: true);
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.Sse });

        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("tail", text);
        Assert.Equal(3, handler.Requests.Count(r => r.IsSse));
        Assert.Single(handler.Requests, r => r.IsLongPoll);
    }

    [Fact]
    public async Task A_silent_connection_is_dropped_by_the_idle_watchdog_and_reopened()
    {
        // A stalled proxy can keep a connection open with nothing flowing (H2): the watchdog reconnects.
        var stalled = new HangingStream(System.Text.Encoding.UTF8.GetBytes(Data("a") + Control("1", cursor: "c1", upToDate: true)));
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (request.IsSse && request.Query("offset") == "0") return Respond.Sse(new StreamContent(stalled));
            if (request.IsSse && request.Query("offset") == "1") return Respond.Sse(Data("b") + Control("2", closed: true));
            return Respond.Unexpected(request);
        });
        // Long enough that a loaded machine reads the first connection's bytes before the watchdog could fire.
        using var fake = new FakeClient(handler, o => o.SseIdleTimeout = TimeSpan.FromSeconds(1));
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.Sse });

        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("ab", text);
        Assert.Equal(2, handler.Requests.Count(r => r.IsSse));
        Assert.Equal("c1", handler.Requests.Last(r => r.IsSse).Query("cursor"));
        await stalled.Disposed.WaitAsync(TestTimeouts.Hang);
    }
}
