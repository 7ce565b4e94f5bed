using System.Text;
using System.Text.Json;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Several data events committed by one control event (pitfall S2; the reference server sends one
/// data event per stored message): JSON arrays are merged item-wise, bytes/text concatenated.
/// </summary>
public sealed class SseDataBatchingTests
{
    private static string JsonEvents =>
        Data("[{\"n\":1},{\"n\":2}]") +
        Data("[{\"n\":3}]") +
        Data("[", "{\"n\":4}", "]") + // one array spread over several data: lines
        Control("7", closed: true);

    [Fact]
    public async Task Json_items_of_every_data_event_are_concatenated()
    {
        using var script = new SseScript("application/json", Respond.Sse(JsonEvents));
        await using var response = await script.OpenAsync();

        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.Numbered).WaitAsync(TestTimeouts.Hang);

        Assert.Equal([1, 2, 3, 4], items.Select(i => i.N));
    }

    [Fact]
    public async Task Json_chunk_bytes_are_one_valid_array_not_string_joined_arrays()
    {
        // String-joining gives "[..][..]", which is not JSON.
        using var script = new SseScript("application/json", Respond.Sse(JsonEvents));

        var chunks = await script.ReadAllChunksAsync();

        var sse = chunks[^1];
        using var document = JsonDocument.Parse(sse.Data);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal([1, 2, 3, 4], document.RootElement.EnumerateArray().Select(e => e.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task Json_batches_keep_the_control_events_position()
    {
        using var script = new SseScript("application/json", Respond.Sse(JsonEvents));
        await using var response = await script.OpenAsync();

        var batches = new List<JsonBatch<Numbered>>();
        await foreach (var batch in response.ReadJsonBatchesAsync(TestJsonContext.Default.Numbered).WithHangGuard())
            batches.Add(batch);

        var sse = Assert.Single(batches, b => b.Items.Count > 0);
        Assert.Equal(4, sse.Items.Count);
        Assert.Equal("7", sse.Offset);
        Assert.True(sse.StreamClosed);
    }

    [Fact]
    public async Task Text_payloads_are_concatenated_in_order()
    {
        using var script = new SseScript("text/plain", Respond.Sse(Data("ab") + Data("cd") + Data("ef") + Control("3", closed: true)));

        var chunks = await script.ReadAllChunksAsync();

        var sse = Assert.Single(chunks, c => !c.Data.IsEmpty);
        Assert.Equal("abcdef", Encoding.UTF8.GetString(sse.Data.Span));
    }
}
