using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// Every offset the client reports (create, append, HEAD, close, chunks, events, errors) is an
/// <see cref="Offset"/> that a read accepts as it is.
/// </summary>
public sealed class ResultOffsetTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static async Task<string> ReadTextFromAsync(DurableStream stream, Offset from)
    {
        await using var response = await stream.ReadAsync(new ReadOptions { Offset = from });
        return await response.ReadAllTextAsync();
    }

    [Fact]
    public async Task Write_results_resume_reads_where_they_say()
    {
        using var client = fixture.CreateClient();
        var stream = client.GetStream(ReferenceServerFixture.NewPath("results"), "text/plain");
        var created = await stream.CreateAsync(new CreateStreamOptions { ContentType = "text/plain" });
        var first = await stream.AppendAsync("a;");
        await stream.AppendAsync("b;");
        var head = await stream.HeadAsync();
        var closed = await stream.CloseAsync("c;"u8.ToArray());

        Assert.Equal("a;b;c;", await ReadTextFromAsync(stream, created.Offset!.Value));
        Assert.Equal("b;c;", await ReadTextFromAsync(stream, first.Offset!.Value));
        Assert.Equal("c;", await ReadTextFromAsync(stream, head.Offset!.Value));
        Assert.Equal("", await ReadTextFromAsync(stream, closed.FinalOffset!.Value));
        Assert.False(created.Offset.Value.IsSentinel);
    }

    [Fact]
    public async Task Chunk_response_and_event_offsets_resume_reads()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("events"), new CreateStreamOptions { ContentType = "application/json" });
        await stream.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);

        Offset afterChunk, afterResponse, afterEvent;
        await using (var response = await stream.ReadAsync())
        {
            var chunks = new List<StreamChunk>();
            await foreach (var chunk in response.ReadChunksAsync()) chunks.Add(chunk);
            afterChunk = chunks[^1].Offset;
            afterResponse = response.Offset;
        }
        await using (var response = await stream.ReadAsync())
        {
            var events = new List<StreamEvent<Numbered>>();
            await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.Numbered)) events.Add(e);
            afterEvent = Assert.Single(events).NextOffset;
        }
        await stream.AppendJsonAsync(new Numbered(2), TestJsonContext.Default.Numbered);

        foreach (var from in new[] { afterChunk, afterResponse, afterEvent })
        {
            await using var resumed = await stream.ReadAsync(new ReadOptions { Offset = from });
            var items = await resumed.ReadAllJsonAsync(TestJsonContext.Default.Numbered);
            Assert.Equal([2], items.Select(i => i.N));
        }
    }

    [Fact]
    public async Task Errors_carry_the_offset_read_from_and_none_when_there_was_none()
    {
        using var client = fixture.CreateClient();
        var missing = client.GetStream(ReferenceServerFixture.NewPath("missing"));
        var from = new Offset("0000000000000000_0000000000000003");

        var readError = await Assert.ThrowsAsync<StreamNotFoundException>(() => missing.ReadAsync(new ReadOptions { Offset = from }));
        var headError = await Assert.ThrowsAsync<StreamNotFoundException>(() => missing.HeadAsync());

        Assert.Equal(from, readError.Offset);
        Assert.Null(headError.Offset); // absent, not mistaken for the beginning
    }

    [Fact]
    public async Task A_closed_streams_error_reports_a_final_offset_a_read_accepts()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("closed"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");
        await stream.CloseAsync();

        var error = await Assert.ThrowsAsync<StreamClosedException>(() => stream.AppendAsync("b"));

        Assert.Equal("", await ReadTextFromAsync(stream, error.FinalOffset!.Value));
        Assert.Equal("a", await ReadTextFromAsync(stream, Offset.Beginning));
    }
}
