using System.Text;
using System.Text.Json;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// JSON-mode response bodies decoded (pitfall J2): correct however the network splits the bytes, one
/// array level flattened, empty bodies are no messages, truncation is a parse error. The cases that
/// matter run on each decoding path (<see cref="BodyPath"/>); large bodies decoded in slices are
/// covered by <see cref="SlicedBodyDecodingTests"/>.
/// </summary>
public sealed class JsonResponseDecodingTests
{
    public enum BodyPath
    {
        /// <summary>No Content-Length, parallel decoding off: the incremental streaming decoder.</summary>
        Streamed,
        /// <summary>A small body with a Content-Length: read whole, decoded in one pass.</summary>
        Sized,
        /// <summary>No Content-Length, parallel decoding on: read up to a slice, then decoded whole when it ended sooner.</summary>
        Unsized,
    }

    private static HttpContent Body(string text, BodyPath path, int maxChunk = 3, int seed = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return path == BodyPath.Sized ? TrickleContent.WithLength(bytes, maxChunk, seed) : new TrickleContent(bytes, maxChunk, seed);
    }

    private static FakeClient ServeCatchUp(Func<HttpContent> body, BodyPath path = BodyPath.Streamed) =>
        new(new FakeHttpHandler(request => request.IsCatchUp
            ? Respond.Read(body(), "application/json; charset=utf-8", "1_0")
            : Respond.Unexpected(request)),
            o => o.ParallelJsonDecoding = path != BodyPath.Streamed);

    private static async Task<List<T>> ReadJsonAsync<T>(FakeClient fake, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        await using var response = await fake.Client.GetStream("json").ReadAsync();
        var items = new List<T>();
        await foreach (var item in response.ReadJsonAsync(typeInfo).WithHangGuard()) items.Add(item);
        return items;
    }

    [Theory]
    [InlineData(1, BodyPath.Streamed)]
    [InlineData(2, BodyPath.Streamed)]
    [InlineData(3, BodyPath.Streamed)]
    [InlineData(4, BodyPath.Streamed)]
    [InlineData(5, BodyPath.Streamed)]
    [InlineData(1, BodyPath.Sized)]
    [InlineData(2, BodyPath.Sized)]
    [InlineData(1, BodyPath.Unsized)]
    [InlineData(2, BodyPath.Unsized)]
    public async Task Body_trickled_a_few_bytes_per_read_decodes_exactly(int seed, BodyPath path)
    {
        // Multi-byte UTF-8 (é, 日本, 😀), escapes, numbers and nesting give the splits something to break.
        const string body = " [ {\"id\":1,\"name\":\"caf\u00e9 \\\"quoted\\\" \\u00e9\",\"tags\":[\"\u65e5\u672c\",\"\ud83d\ude00\"]} ,\n" +
                            "{\"id\":-2147483648,\"name\":\"\",\"tags\":[]},{\"id\":2147483647,\"name\":\"x\\ny\",\"tags\":[\"a\",\"b\",\"c\"]}]\n";
        using var fake = ServeCatchUp(() => Body(body, path, maxChunk: 3, seed), path);

        var orders = await ReadJsonAsync(fake, TestJsonContext.Default.Order);

        Assert.Equal(3, orders.Count);
        Assert.Equal(1, orders[0].Id);
        Assert.Equal("caf\u00e9 \"quoted\" \u00e9", orders[0].Name);
        Assert.Equal(["\u65e5\u672c", "\ud83d\ude00"], orders[0].Tags);
        Assert.Equal(int.MinValue, orders[1].Id);
        Assert.Empty(orders[1].Tags);
        Assert.Equal("x\ny", orders[2].Name);
        Assert.Equal(["a", "b", "c"], orders[2].Tags);
    }

    [Fact]
    public async Task A_large_body_trickled_one_byte_at_a_time_decodes_every_item()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 500).Select(i => $"{{\"n\":{i}}}")) + "]";
        using var fake = ServeCatchUp(() => new TrickleContent(Encoding.UTF8.GetBytes(body), maxChunk: 1));

        var items = await ReadJsonAsync(fake, TestJsonContext.Default.Numbered);

        Assert.Equal(Enumerable.Range(0, 500), items.Select(i => i.N));
    }

    [Theory]
    [InlineData("", BodyPath.Streamed)]
    [InlineData(" ", BodyPath.Streamed)]
    [InlineData(" \r\n\t \n", BodyPath.Streamed)]
    [InlineData("[]", BodyPath.Streamed)]
    [InlineData("  [ ]  ", BodyPath.Streamed)]
    [InlineData("", BodyPath.Sized)]
    [InlineData(" \r\n\t \n", BodyPath.Sized)]
    [InlineData("  [ ]  ", BodyPath.Sized)]
    [InlineData("", BodyPath.Unsized)]
    [InlineData(" \r\n\t \n", BodyPath.Unsized)]
    [InlineData("  [ ]  ", BodyPath.Unsized)]
    public async Task Empty_or_whitespace_body_is_no_messages(string body, BodyPath path)
    {
        using var fake = ServeCatchUp(() => Body(body, path), path);

        var items = await ReadJsonAsync(fake, TestJsonContext.Default.Numbered);

        Assert.Empty(items);
    }

    [Theory]
    [InlineData("[{\"n\":1},{\"n\":", BodyPath.Streamed)]
    [InlineData("[{\"n\":1}", BodyPath.Streamed)]
    [InlineData("[", BodyPath.Streamed)]
    [InlineData("[{\"n\":1},{\"n\":2}", BodyPath.Streamed)]
    [InlineData("[\"unterminated", BodyPath.Streamed)]
    [InlineData("[{\"n\":1},{\"n\":", BodyPath.Sized)]
    [InlineData("[", BodyPath.Sized)]
    [InlineData("{\"n\":1}", BodyPath.Sized)]
    [InlineData("[{\"n\":1},{\"n\":", BodyPath.Unsized)]
    [InlineData("[", BodyPath.Unsized)]
    [InlineData("{\"n\":1}", BodyPath.Unsized)]
    public async Task Truncated_body_is_a_parse_error(string body, BodyPath path)
    {
        using var fake = ServeCatchUp(() => Body(body, path), path);

        var error = await Assert.ThrowsAsync<DurableStreamParseException>(() => ReadJsonAsync(fake, TestJsonContext.Default.Numbered));

        Assert.Equal(DurableStreamErrorCode.Parse, error.Code);
        Assert.Equal(FakeClient.UrlOf("json"), error.Url);
    }

    [Theory]
    [InlineData(BodyPath.Streamed)]
    [InlineData(BodyPath.Sized)]
    [InlineData(BodyPath.Unsized)]
    public async Task Nested_arrays_are_flattened_exactly_one_level(BodyPath path)
    {
        // Each element of the outer array is one message, even when it is an array itself.
        const string body = "[[1,2],[[3]],4,[],{\"a\":[5]}]";
        using var fake = ServeCatchUp(() => Body(body, path, maxChunk: 2), path);

        var items = await ReadJsonAsync(fake, TestJsonContext.Default.JsonElement);

        Assert.Equal(["[1,2]", "[[3]]", "4", "[]", "{\"a\":[5]}"], items.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task Array_messages_decode_as_typed_arrays()
    {
        using var fake = ServeCatchUp(() => new TrickleContent("[[1,2],[3,4,5]]"u8.ToArray()));

        var items = await ReadJsonAsync(fake, TestJsonContext.Default.Int32Array);

        Assert.Equal(2, items.Count);
        Assert.Equal([1, 2], items[0]);
        Assert.Equal([3, 4, 5], items[1]);
    }

    [Fact]
    public async Task Catch_up_across_several_responses_yields_every_item_in_order()
    {
        // Servers chunk (R2): keep reading at Stream-Next-Offset until up to date.
        var handler = new FakeHttpHandler(request => request.Query("offset") switch
        {
            "-1" => Respond.Read(new TrickleContent("[{\"n\":1},{\"n\":2}]"u8.ToArray()), "application/json", "1_2", upToDate: false),
            "1_2" => Respond.Read(new TrickleContent("[{\"n\":3}]"u8.ToArray()), "application/json", "1_3"),
            _ => Respond.Unexpected(request),
        });
        using var fake = new FakeClient(handler);

        var items = await ReadJsonAsync(fake, TestJsonContext.Default.Numbered);

        Assert.Equal([1, 2, 3], items.Select(i => i.N));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Chunk_bytes_of_a_json_response_are_the_body_as_sent()
    {
        using var fake = ServeCatchUp(() => new TrickleContent("[{\"n\":1},{\"n\":2}]"u8.ToArray()));
        await using var response = await fake.Client.GetStream("json").ReadAsync();

        var bytes = await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(2, document.RootElement.GetArrayLength());
        Assert.True(response.IsJson);
    }

    [Fact]
    public async Task Offsets_are_sent_back_url_encoded_exactly_as_received()
    {
        // Offsets are opaque: '+' must not turn into a space and '%' must not be taken as an escape.
        const string token = "a+b%c~d e";
        var handler = new FakeHttpHandler(request => request.Query("offset") switch
        {
            "-1" => Respond.Read("[1]", "application/json", token, upToDate: false),
            token => Respond.Read("[2]", "application/json", "end"),
            _ => Respond.Unexpected(request),
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("json").ReadAsync();

        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.Int32).WaitAsync(TestTimeouts.Hang);

        Assert.Equal([1, 2], items);
        Assert.Contains("offset=a%2Bb%25c~d%20e", handler.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_network_error_naming_the_offset()
    {
        // The connection ended early: the bytes that came are valid JSON, but the response is not whole.
        using var fake = ServeCatchUp(() => TrickleContent.WithLength("[{\"n\":1}]"u8.ToArray(), declaredLength: 40));

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => ReadJsonAsync(fake, TestJsonContext.Default.Numbered));

        Assert.Equal(FakeClient.UrlOf("json"), error.Url);
        Assert.Equal("-1", error.Offset);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Bodies_around_the_whole_read_size_decode_every_item(int delta)
    {
        // Either side of the size up to which a body with a known length is read whole before decoding.
        var items = new List<string>();
        var size = 2;
        while (size < BatchDecoderLimit + delta - 20) { var n = items.Count; items.Add($"{{\"n\":{n}}}"); size += items[^1].Length + 1; }
        var body = "[" + string.Join(",", items) + "]";
        body = body.PadRight(BatchDecoderLimit + delta); // trailing whitespace brings it to the exact size
        Assert.Equal(BatchDecoderLimit + delta, Encoding.UTF8.GetByteCount(body));
        using var fake = ServeCatchUp(() => TrickleContent.WithLength(Encoding.UTF8.GetBytes(body), maxChunk: 4096));

        var decoded = await ReadJsonAsync(fake, TestJsonContext.Default.Numbered);

        Assert.Equal(Enumerable.Range(0, items.Count), decoded.Select(i => i.N));
    }

    private static int BatchDecoderLimit => DurableStreams.Reading.BatchDecoder.SmallBodyBytes;
}
