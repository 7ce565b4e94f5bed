using System.Text;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>Reading from the tail (<c>now</c>, pitfall R4) and resuming from saved offsets.</summary>
public sealed class OffsetTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Now_skips_existing_data_and_reports_a_real_offset()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("now"), new CreateStreamOptions { ContentType = "application/json" });
        await stream.AppendAsync("{\"old\":1}");
        var tail = (await stream.HeadAsync()).Offset;

        await using var response = await stream.ReadAsync(new ReadOptions { Offset = Offset.Now });
        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.JsonElement);

        Assert.Empty(items);
        Assert.Equal(tail, response.Offset); // "now" replaced by a checkpointable token
        Assert.NotEqual("now", response.Offset);
        Assert.True(response.UpToDate);
    }

    [Theory]
    [InlineData(LiveMode.LongPoll, true)]
    [InlineData(LiveMode.LongPoll, false)] // a single now&live=long-poll request (opt-in)
    [InlineData(LiveMode.Sse, true)]
    public async Task Now_with_a_live_mode_delivers_only_what_is_appended_afterwards(LiveMode mode, bool initialCatchUp)
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("now-live");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("old");

        await using var response = await stream.ReadAsync(new ReadOptions { Offset = Offset.Now, Live = mode, InitialCatchUp = initialCatchUp });
        // ReadAsync returns once its first request is answered, so the tail is fixed before this append.
        await stream.AppendAsync("new");
        await stream.CloseAsync();
        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("new", text);
    }

    [Fact]
    public async Task Reading_from_a_saved_offset_returns_only_later_data()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("resume"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("first;");

        Offset saved;
        await using (var response = await stream.ReadAsync())
        {
            Assert.Equal("first;", await response.ReadAllTextAsync());
            saved = response.Offset;
        }
        await stream.AppendAsync("second;");
        await stream.AppendAsync("third;");

        await using var resumed = await stream.ReadAsync(new ReadOptions { Offset = saved });
        var chunks = new List<StreamChunk>();
        await foreach (var chunk in resumed.ReadChunksAsync()) chunks.Add(chunk);

        Assert.Equal("second;third;", string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Data.Span))));
        Assert.Equal((await stream.HeadAsync()).Offset, chunks[^1].Offset);
    }
}
