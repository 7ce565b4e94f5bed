using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// Closure is EOF in every read mode (pitfall R5), whether the stream was closed before the read or
/// while a live reader waits; writes after it fail with the final offset (C1).
/// </summary>
public sealed class ClosureTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.Auto)]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task A_closed_stream_reads_to_EOF_and_the_read_ends(LiveMode mode)
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("closed"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");
        var close = await stream.CloseAsync();

        await using var response = await stream.ReadAsync(new ReadOptions { Live = mode });
        var chunks = new List<StreamChunk>();
        await foreach (var chunk in response.ReadChunksAsync().WithHangGuard()) chunks.Add(chunk);

        Assert.Equal("a", string.Concat(chunks.Select(c => System.Text.Encoding.UTF8.GetString(c.Data.Span))));
        Assert.True(chunks[^1].StreamClosed);
        Assert.Equal(close.FinalOffset, chunks[^1].Offset);
        Assert.True(response.StreamClosed);
    }

    [Theory]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task A_live_reader_receives_the_last_data_and_ends_when_the_stream_is_closed(LiveMode mode)
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("live-close");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");
        using var writerClient = fixture.CreateClient();
        var writer = writerClient.GetStream(path, "text/plain");

        await using var response = await stream.ReadAsync(new ReadOptions { Live = mode });
        var text = new System.Text.StringBuilder();
        Task? writing = null;
        await foreach (var chunk in response.ReadChunksAsync().WithHangGuard())
        {
            text.Append(System.Text.Encoding.UTF8.GetString(chunk.Data.Span));
            // Once caught up, the reader goes live; only then does the writer append and close.
            if (chunk.UpToDate && writing is null)
                writing = Task.Run(async () => { await writer.AppendAsync("b"); await writer.CloseAsync(); });
        }

        await writing!;
        Assert.Equal("ab", text.ToString());
        Assert.True(response.StreamClosed);
    }

    [Fact]
    public async Task Appending_to_a_closed_stream_fails_with_the_final_offset()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("append-closed"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");
        var close = await stream.CloseAsync();

        var error = await Assert.ThrowsAsync<StreamClosedException>(() => stream.AppendAsync("b"));

        Assert.NotNull(close.FinalOffset);
        Assert.Equal(close.FinalOffset, error.FinalOffset);
        Assert.Equal(DurableStreamErrorCode.StreamClosed, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.Status);
        Assert.Equal(stream.Url, error.Url);
    }

    [Fact]
    public async Task Close_only_is_idempotent_and_close_with_data_after_close_is_refused()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("close-twice"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");

        var first = await stream.CloseAsync();
        var second = await stream.CloseAsync();

        Assert.Equal(first.FinalOffset, second.FinalOffset);
        var error = await Assert.ThrowsAsync<StreamClosedException>(() => stream.CloseAsync("late"u8.ToArray()));
        Assert.Equal(first.FinalOffset, error.FinalOffset);
        Assert.True((await stream.HeadAsync()).Closed);
    }

    [Fact]
    public async Task Close_with_final_data_appends_and_closes_atomically()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("close-data"), new CreateStreamOptions { ContentType = "application/json" });
        await stream.AppendAsync("1");

        await stream.CloseAsync("{\"done\":true}"u8.ToArray());

        await using var response = await stream.ReadAsync();
        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.JsonElement);
        Assert.Equal(["1", "{\"done\":true}"], items.Select(i => i.GetRawText()));
        Assert.True(response.StreamClosed);
    }

    [Fact]
    public async Task A_stream_created_closed_reads_its_initial_data_then_EOF()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("created-closed"),
            new CreateStreamOptions { ContentType = "text/plain", Closed = true, InitialData = "only"u8.ToArray() });

        await using var response = await stream.ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });
        Assert.Equal("only", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
        Assert.True(response.StreamClosed);
    }
}
