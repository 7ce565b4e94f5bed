using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>Forks (protocol §4.2): inherited data up to the fork point, then the fork's own.</summary>
public sealed class ForkTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static async Task<string> ReadTextAsync(DurableStream stream)
    {
        await using var response = await stream.ReadAsync();
        return await response.ReadAllTextAsync();
    }

    [Fact]
    public async Task A_fork_at_the_tail_reads_the_inherited_data_then_its_own()
    {
        using var client = fixture.CreateClient();
        var source = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("source"), new CreateStreamOptions { ContentType = "text/plain" });
        await source.AppendAsync("abc");
        await source.AppendAsync("def");

        var fork = await source.ForkAsync(ReferenceServerFixture.NewPath("fork"));
        await fork.AppendAsync("ghi");
        await source.AppendAsync("xyz"); // after the fork point: never visible in the fork

        Assert.Equal("abcdefghi", await ReadTextAsync(fork));
        Assert.Equal("abcdefxyz", await ReadTextAsync(source));
        Assert.Equal("text/plain", fork.ContentType); // inherited, not sent
    }

    [Fact]
    public async Task A_fork_at_an_earlier_offset_inherits_only_the_data_before_it()
    {
        using var client = fixture.CreateClient();
        var source = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("source"), new CreateStreamOptions { ContentType = "text/plain" });
        var afterFirst = await source.AppendAsync("abc");
        await source.AppendAsync("def");

        var fork = await source.ForkAsync(ReferenceServerFixture.NewPath("fork"), afterFirst.Offset);

        Assert.Equal("abc", await ReadTextAsync(fork));
    }

    [Fact]
    public async Task A_json_fork_inherits_the_content_type_and_reads_as_one_array()
    {
        using var client = fixture.CreateClient();
        var source = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("source"), new CreateStreamOptions { ContentType = "application/json" });
        await source.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);

        var fork = await source.ForkAsync(ReferenceServerFixture.NewPath("fork"));
        await fork.AppendJsonAsync(new Numbered(2), TestJsonContext.Default.Numbered);

        Assert.True(fork.IsJson);
        await using var response = await fork.ReadAsync();
        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.Numbered);
        Assert.Equal([1, 2], items.Select(i => i.N));
    }

    [Fact]
    public async Task A_live_reader_of_a_fork_sees_the_forks_appends_only()
    {
        using var client = fixture.CreateClient();
        var source = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("source"), new CreateStreamOptions { ContentType = "text/plain" });
        await source.AppendAsync("base;");
        var fork = await source.ForkAsync(ReferenceServerFixture.NewPath("fork"));

        await using var response = await fork.ReadAsync(new ReadOptions { Live = LiveMode.Sse });
        await source.AppendAsync("source-only;");
        await fork.AppendAsync("fork;");
        await fork.CloseAsync();

        Assert.Equal("base;fork;", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
    }

    [Fact]
    public async Task Forking_a_missing_stream_is_not_found()
    {
        using var client = fixture.CreateClient();
        var missing = client.GetStream(ReferenceServerFixture.NewPath("missing"));

        await Assert.ThrowsAsync<StreamNotFoundException>(() => missing.ForkAsync(ReferenceServerFixture.NewPath("fork")));
    }
}
