using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>A control event that cannot be understood is fatal (pitfall S4): the position would be unknown.</summary>
public sealed class SseControlEventTests
{
    [Theory]
    [InlineData("event: control\ndata:\n\n")]                                   // empty data
    [InlineData("event: control\ndata: \n\n")]                                  // only the stripped space
    [InlineData("event: control\ndata:    \n\n")]                               // whitespace
    [InlineData("event: control\ndata: {\n\n")]                                 // truncated object
    [InlineData("event: control\ndata: not json\n\n")]
    [InlineData("event: control\ndata: [\"streamNextOffset\"]\n\n")]            // not an object
    [InlineData("event: control\ndata: {\"streamCursor\":\"c\"}\n\n")]          // no offset
    [InlineData("event: control\ndata: {\"streamNextOffset\":\"1\"} {}\n\n")]   // trailing data
    public async Task Empty_or_invalid_control_is_a_parse_error(string control)
    {
        using var script = new SseScript("text/plain", Respond.Sse(Data("x") + control + Control("1", closed: true)));

        var error = await Assert.ThrowsAsync<DurableStreamParseException>(script.ReadAllTextAsync);

        Assert.Equal(DurableStreamErrorCode.Parse, error.Code);
        Assert.Single(script.SseRequests);
    }

    [Fact]
    public async Task Control_without_cursor_on_a_closed_stream_is_accepted()
    {
        using var script = new SseScript("text/plain", Respond.Sse(Data("x") + Control("5", closed: true)));

        var chunks = await script.ReadAllChunksAsync();

        Assert.True(chunks[^1].StreamClosed);
        Assert.True(chunks[^1].UpToDate); // closed implies up to date
        Assert.Equal("5", chunks[^1].Offset);
    }
}
