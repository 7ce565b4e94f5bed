using System.Text;
using System.Text.Json;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>Create, inspect, append and read back each kind of content against the reference server.</summary>
public sealed class RoundTripTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)] // base64 on the wire for binary streams
    public async Task Bytes_round_trip_exactly_in_every_mode(LiveMode mode)
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("bytes"));
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        await stream.AppendAsync(all.AsMemory(0, 128));
        await stream.AppendAsync(all.AsMemory(128));
        await stream.CloseAsync(); // so live modes end

        await using var response = await stream.ReadAsync(new ReadOptions { Live = mode });
        var read = await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(all, read);
        Assert.Equal("application/octet-stream", response.ContentType);
        Assert.True(response.StreamClosed);
    }

    [Fact]
    public async Task A_handle_made_with_a_content_type_creates_the_stream_with_it()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("handle-json");
        var created = await client.GetStream(path, "application/json").CreateAsync();

        Assert.True(created.Created);
        var head = await client.GetStream(path).HeadAsync();
        Assert.StartsWith("application/json", head.ContentType);
        // Explicit options still win over the handle's content type.
        var explicitPath = ReferenceServerFixture.NewPath("handle-text");
        await client.GetStream(explicitPath, "application/json").CreateAsync(new CreateStreamOptions { ContentType = "text/plain" });
        Assert.StartsWith("text/plain", (await client.GetStream(explicitPath).HeadAsync()).ContentType);
    }

    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.Sse)]
    public async Task Text_round_trips_including_multi_byte_characters(LiveMode mode)
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("text"), new CreateStreamOptions { ContentType = "text/plain; charset=utf-8" });

        await stream.AppendAsync("h\u00e9llo ");
        await stream.AppendAsync("\u4e16\u754c \ud83d\ude00\nline two");
        await stream.CloseAsync();

        await using var response = await stream.ReadAsync(new ReadOptions { Live = mode });
        Assert.Equal("h\u00e9llo \u4e16\u754c \ud83d\ude00\nline two", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
    }

    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task Json_messages_round_trip_one_for_one(LiveMode mode)
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("json"), new CreateStreamOptions { ContentType = "application/json" });
        Order[] orders =
        [
            new(1, "one", ["a"]),
            new(2, "two \"quoted\"", []),
            new(3, "three", ["x", "y"]),
        ];

        await stream.AppendJsonAsync(orders[0], TestJsonContext.Default.Order);
        await stream.AppendJsonManyAsync(orders[1..], TestJsonContext.Default.Order);
        await stream.AppendAsync("[1,2]"); // an array is one message, not two
        await stream.CloseAsync();

        await using var response = await stream.ReadAsync(new ReadOptions { Live = mode });
        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.JsonElement).WaitAsync(TestTimeouts.Hang);

        Assert.Equal(4, items.Count);
        for (var i = 0; i < 3; i++)
        {
            var order = items[i].Deserialize(TestJsonContext.Default.Order)!;
            Assert.Equal(orders[i].Id, order.Id);
            Assert.Equal(orders[i].Name, order.Name);
            Assert.Equal(orders[i].Tags, order.Tags);
        }
        Assert.Equal("[1,2]", items[3].GetRawText());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_catch_up_of_several_megabytes_reads_every_message_in_order(bool parallel)
    {
        // The reference server sends the whole catch-up as one chunked response: with parallel decoding
        // it is cut into slices decoded on several cores, without it it streams through one decoder.
        using var client = fixture.CreateClient(o => o.ParallelJsonDecoding = parallel);
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("big"), new CreateStreamOptions { ContentType = "application/json" });
        const int count = 30_000;
        var name = new string('n', 60) + " [{,\"}]";
        for (var start = 0; start < count; start += 5_000)
            await stream.AppendJsonManyAsync(Enumerable.Range(start, 5_000).Select(i => new Order(i, name, [i.ToString()])), TestJsonContext.Default.Order);

        await using var response = await stream.ReadAsync();
        var orders = await response.ReadAllJsonAsync(TestJsonContext.Default.Order).WaitAsync(TestTimeouts.Hang);

        Assert.Equal(Enumerable.Range(0, count), orders.Select(o => o.Id));
        Assert.All(orders, o => Assert.Equal(name, o.Name));
        Assert.All(orders, o => Assert.Equal([o.Id.ToString()], o.Tags));
    }

    [Fact]
    public async Task Create_reports_new_then_existing_and_head_reports_the_metadata()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("create");
        var options = new CreateStreamOptions { ContentType = "text/plain", InitialData = "seed"u8.ToArray() };
        var stream = client.GetStream(path);

        var first = await stream.CreateAsync(options);
        var second = await stream.CreateAsync(new CreateStreamOptions { ContentType = "text/plain" });
        var head = await stream.HeadAsync();

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.False(first.Closed);
        Assert.Equal(first.Offset, head.Offset);
        Assert.Equal("text/plain", head.ContentType);
        Assert.False(head.Closed);
        await using var response = await stream.ReadAsync();
        Assert.Equal("seed", await response.ReadAllTextAsync());
    }

    [Fact]
    public async Task Ttl_is_sent_in_whole_seconds_and_reported_back()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("ttl"), new CreateStreamOptions { Ttl = TimeSpan.FromHours(1) });

        var head = await stream.HeadAsync();

        Assert.Equal(TimeSpan.FromHours(1), head.Ttl);
        Assert.Null(head.ExpiresAt);
    }

    [Fact]
    public async Task Expires_at_is_reported_back_as_the_same_instant()
    {
        using var client = fixture.CreateClient();
        var expires = new DateTimeOffset(2099, 6, 1, 12, 30, 15, TimeSpan.FromHours(2)); // an offset other than UTC
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("expires"), new CreateStreamOptions { ExpiresAt = expires });

        var head = await stream.HeadAsync();

        Assert.Equal(expires, head.ExpiresAt);
        Assert.Null(head.Ttl);
    }

    [Fact]
    public async Task Ttl_and_expiry_together_or_fractional_ttl_are_refused_before_sending()
    {
        using var client = fixture.CreateClient();
        var stream = client.GetStream(ReferenceServerFixture.NewPath("bad-ttl"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => stream.CreateAsync(new CreateStreamOptions { Ttl = TimeSpan.FromSeconds(5), ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => stream.CreateAsync(new CreateStreamOptions { Ttl = TimeSpan.FromSeconds(1.5) }));
        await Assert.ThrowsAsync<StreamNotFoundException>(() => stream.HeadAsync()); // nothing was created
    }

    [Fact]
    public async Task Recreating_with_another_configuration_is_a_conflict()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("conflict");
        await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }));

        Assert.Equal(DurableStreamErrorCode.Conflict, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, error.Status);
        Assert.Equal(client.ResolveUrl(path), error.Url);
    }

    [Fact]
    public async Task Text_is_appended_as_utf8_bytes()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("utf8"), new CreateStreamOptions { ContentType = "text/plain" });

        await stream.AppendAsync("\u00e9");

        await using var response = await stream.ReadAsync();
        Assert.Equal(Encoding.UTF8.GetBytes("\u00e9"), await response.ReadAllBytesAsync());
    }
}
