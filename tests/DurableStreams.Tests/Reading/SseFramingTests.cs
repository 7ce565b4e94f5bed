using System.Text;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// SSE line and field rules (pitfall S4), through a whole read session. The reference server only
/// ever writes LF-terminated, well-formed events, so these bodies are crafted.
/// </summary>
public sealed class SseFramingTests
{
    private const string Text = "text/plain";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    public async Task Lines_end_at_CR_LF_or_CRLF_even_when_split_across_reads(string newline)
    {
        var body = $"event: data{newline}data: hello{newline}data: world{newline}{newline}" +
                   $"event: control{newline}data: {{\"streamNextOffset\":\"1\",\"streamClosed\":true}}{newline}{newline}";
        // Trickled 1-3 bytes per read, so a CRLF is split between reads in some places: CR then LF is one line end, not two.
        using var script = new SseScript(Text, Respond.Sse(new TrickleContent(Encoding.UTF8.GetBytes(body))));

        var chunks = await script.ReadAllChunksAsync();

        var last = chunks[^1];
        Assert.Equal("hello\nworld", Encoding.UTF8.GetString(last.Data.Span));
        Assert.Equal("1", last.Offset);
        Assert.True(last.StreamClosed);
    }

    [Fact]
    public async Task Unicode_line_and_paragraph_separators_and_NEL_are_data_not_line_ends()
    {
        const string payload = "a\u2028b\u0085c\u2029d";
        using var script = new SseScript(Text, Respond.Sse(Data(payload) + Control("1", closed: true)));

        Assert.Equal(payload, await script.ReadAllTextAsync());
    }

    [Fact]
    public async Task Multi_line_data_is_joined_with_LF()
    {
        using var script = new SseScript(Text, Respond.Sse(Data("first", "", "third") + Control("1", closed: true)));

        Assert.Equal("first\n\nthird", await script.ReadAllTextAsync());
    }

    [Fact]
    public async Task Exactly_one_space_after_the_colon_is_stripped()
    {
        var body = "event: data\ndata:none\ndata:  two\ndata: one\ndata:\n\n" + Control("1", closed: true);
        using var script = new SseScript(Text, Respond.Sse(body));

        Assert.Equal("none\n two\none\n", await script.ReadAllTextAsync());
    }

    [Fact]
    public async Task Comments_unknown_events_and_unknown_fields_are_ignored()
    {
        var body =
            ": keep-alive comment\n" +
            "event: ping\ndata: not-stream-data\n\n" +
            "data: a nameless event is a 'message' event, not data\n\n" +
            "retry: 10\nid: 42\n" +
            "event: data\nfoo: bar\ndata: real\n: comment inside an event\n\n" +
            "event: metadata\ndata: {\"streamNextOffset\":\"999\",\"streamClosed\":true}\n\n" +
            Control("1", closed: true);
        using var script = new SseScript(Text, Respond.Sse(body));

        var chunks = await script.ReadAllChunksAsync();

        Assert.Equal("real", string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Data.Span))));
        Assert.Equal("1", chunks[^1].Offset); // the unknown event's "offset" was not taken
    }

    [Fact]
    public async Task An_event_cut_off_by_the_end_of_the_body_is_dropped()
    {
        // The second control has no terminating blank line: it was never dispatched, so the
        // stream is not known to be closed and the client must reconnect from offset 1.
        var first = Data("a") + Control("1", cursor: "c1") + Data("b") + "event: control\ndata: {\"streamNextOffset\":\"2\",\"streamClosed\":true}";
        var second = Data("b") + Control("2", closed: true);
        using var script = new SseScript(Text, Respond.Sse(first), Respond.Sse(second));

        var text = await script.ReadAllTextAsync();

        Assert.Equal("ab", text);
        Assert.Equal(2, script.SseRequests.Count);
        Assert.Equal("1", script.SseRequests[1].Query("offset"));
    }
}
