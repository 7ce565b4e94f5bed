using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests;

/// <summary>MaxReadBytes: its default, its bounds, SSE's own event size, and reads split over several responses.</summary>
public sealed class ReadSizeTests
{
    private const int MiB = 1024 * 1024;

    /// <summary>A text stream of <paramref name="count"/> messages of <paramref name="size"/> bytes each ('a', 'b', ...).</summary>
    private static async Task<string> CreateTextStreamAsync(HttpClient http, string path, int count, int size, string contentType = "text/plain")
    {
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync(path, new StringContent("", Encoding.UTF8, contentType), ct);
        var all = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var message = new string((char)('a' + i % 26), size);
            await http.PostAsync(path, new StringContent(message, Encoding.UTF8, contentType), ct);
            all.Append(message);
        }
        return all.ToString();
    }

    [Fact]
    public async Task By_default_a_six_mebibyte_stream_comes_in_one_catch_up_response()
    {
        // Clients that stop at the first response without Stream-Up-To-Date (live off) still get everything.
        Assert.Equal(64L * MiB, new DurableStreamsServerOptions().MaxReadBytes);
        await using var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        var expected = await CreateTextStreamAsync(http, "six", 12, MiB / 2);

        using var response = await http.GetAsync("six?offset=-1", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("Stream-Up-To-Date").Single());
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public async Task Sse_events_stay_within_four_mebibytes_whatever_MaxReadBytes_allows(string contentType)
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { SseConnectionLifetime = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        var expected = await CreateTextStreamAsync(http, "events", 12, MiB / 2, contentType);

        var body = await http.GetStringAsync("events?offset=-1&live=sse", ct);
        var payloads = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("event: data\n", StringComparison.Ordinal))
            .Select(e => e["event: data\ndata:".Length..])
            .ToList();

        Assert.True(payloads.Count >= 2, $"{payloads.Count} data events");
        Assert.All(payloads, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, 4 * MiB));
        var decoded = contentType == "text/plain"
            ? string.Concat(payloads)
            : string.Concat(payloads.Select(p => Encoding.UTF8.GetString(Convert.FromBase64String(p))));
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task Our_client_reads_a_stream_split_over_many_small_responses_to_the_end(LiveMode mode)
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { MaxReadBytes = 4096 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var client = new DurableStreamClient(server.BaseAddress);
        var expected = await CreateTextStreamAsync(http, "split", 200, 1000);
        await client.GetStream("split").CloseAsync();

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var response = await client.GetStream("split").ReadAsync(new ReadOptions { Live = mode }, guard.Token);
        var text = new StringBuilder();
        var chunks = 0;
        await foreach (var chunk in response.ReadChunksAsync(guard.Token))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            chunks++;
        }

        Assert.Equal(expected, text.ToString());
        Assert.True(chunks >= 50, $"{chunks} chunks");
        Assert.True(response.StreamClosed);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(DurableStreamsServerOptions.MaxReadBytesLimit + 1)]
    public void MaxReadBytes_outside_one_byte_to_one_gibibyte_is_refused_at_registration(long value)
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddDurableStreamsServer(o => o.MaxReadBytes = value));

        Assert.Contains("MaxReadBytes must be between 1 byte and 1 GiB", error.Message);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(DurableStreamsServerOptions.MaxReadBytesLimit)]
    public void MaxReadBytes_at_either_bound_is_accepted(long value)
    {
        var services = new ServiceCollection();

        services.AddDurableStreamsServer(o => o.MaxReadBytes = value);

        Assert.Equal(value, services.BuildServiceProvider().GetRequiredService<DurableStreamsServerOptions>().MaxReadBytes);
    }
}
