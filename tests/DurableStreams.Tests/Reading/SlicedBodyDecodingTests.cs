using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Reading;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Large JSON-mode bodies (a Content-Length from 1 MiB, or none), decoded in slices on several cores: the same items as
/// the serializer gives for the whole body, however the bytes arrive, and the same failures (parse
/// errors after the items before them, short bodies as network errors), with clean early exits.
/// </summary>
public sealed class SlicedBodyDecodingTests
{
    private static readonly Uri Url = new("http://test.local/stream");

    /// <summary>Elements whose strings hold every byte the cut scanner must not take for structure.</summary>
    private static string Element(int i) => (i % 7) switch
    {
        6 => $"\"t{i}, [a], {{b}}, ],}},\"",
        0 => $"{{\"id\":{i},\"name\":\"a [b] {{c}}, \\\"q\\\" \\\\ caf\u00e9 \u65e5\u672c \ud83d\ude00 \\u00e9\",\"tags\":[\"x,y\",\"]\",\"}}\",\"\\\\\"]}}",
        1 => $"[[{i},{{\"a\":\"],[\"}}],[],{{\"b\":[[[\"{{\"]]]}}]",
        2 => $"{i}.5e1",
        3 => $"\"s{i} ,]}}\\\\\\\" \\n\\t\"",
        4 => $"{{\"k\":{{\"n\":[1,2,{{\"z\":\"{{\"}}]}},\"e\":\"\\ud83d\\ude00\",\"t\":true,\"f\":null}}",
        _ => "null",
    };

    private static readonly string[] Separators = [",", " , ", ",\n", "\r\n,\t", ",  \n  "];

    private static byte[] VariedBody(int minBytes)
    {
        var text = new StringBuilder(" \n[");
        for (var i = 0; text.Length < minBytes; i++)
        {
            if (i > 0) text.Append(Separators[i % Separators.Length]);
            text.Append(Element(i));
        }
        text.Append("]\n ");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] NumberedBody(int minBytes, out int count)
    {
        var text = new StringBuilder("[");
        count = 0;
        while (text.Length < minBytes)
        {
            if (count > 0) text.Append(',');
            text.Append("{\"n\":").Append(count++).Append('}');
        }
        return Encoding.UTF8.GetBytes(text.Append(']').ToString());
    }

    private static byte[] Padded(string json, int size) => Encoding.UTF8.GetBytes(json.PadRight(size));

    private static ReadBatch Batch(HttpContent content) =>
        ReadBatch.FromResponse(new HttpResponseMessage(HttpStatusCode.OK) { Content = content }, new ReadPosition("-1", null, false), "1",
            upToDate: true, closed: false, cursor: null);

    private static async Task<List<T>> DecodeAsync<T>(HttpContent content, JsonTypeInfo<T> typeInfo, List<T>? received = null,
        CancellationToken cancellationToken = default)
    {
        using var batch = Batch(content);
        var items = received ?? [];
        var enumerator = await BatchDecoder.OpenItemsAsync(batch, typeInfo, Url, parallel: true, cancellationToken);
        await using (enumerator)
        {
            while (await enumerator.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Hang)) items.Add(enumerator.Current);
        }
        return items;
    }

    private static List<string> RawTexts(List<JsonElement> items) => items.Select(e => e.GetRawText()).ToList();

    private static List<string> Expected(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    [Fact]
    public async Task Large_bodies_with_a_length_are_decoded_in_slices()
    {
        // The path under test; on a single core the streaming decoder is kept.
        using var batch = Batch(new ByteArrayContent(VariedBody(1024 * 1024)));
        var enumerator = await BatchDecoder.OpenItemsAsync(batch, TestJsonContext.Default.JsonElement, Url, parallel: true, default);
        await using (enumerator)
        {
            if (Environment.ProcessorCount > 1) Assert.IsType<SlicedItemEnumerator<JsonElement>>(enumerator);
            else Assert.IsType<BodyItemEnumerator<JsonElement>>(enumerator);
        }
    }

    [Fact]
    public async Task Bodies_of_unknown_length_are_sliced_once_past_a_slice_and_decoded_whole_below()
    {
        // Chunked responses (the reference server's) give no length: the first slice's worth decides.
        var large = VariedBody(SlicedBodyDecoder.InlineBodyBytes + 1);
        var small = VariedBody(SlicedBodyDecoder.InlineBodyBytes / 2);
        Assert.True(small.Length < SlicedBodyDecoder.InlineBodyBytes);

        await using (var enumerator = await BatchDecoder.OpenItemsAsync(Batch(new TrickleContent(large, maxChunk: 10_000)), TestJsonContext.Default.JsonElement, Url, parallel: true, default))
        {
            if (Environment.ProcessorCount > 1) Assert.IsType<SlicedItemEnumerator<JsonElement>>(enumerator);
        }
        await using (var enumerator = await BatchDecoder.OpenItemsAsync(Batch(new TrickleContent(small, maxChunk: 10_000)), TestJsonContext.Default.JsonElement, Url, parallel: true, default))
        {
            if (Environment.ProcessorCount > 1) Assert.IsType<ListItemEnumerator<JsonElement>>(enumerator);
        }
        Assert.Equal(Expected(large), RawTexts(await DecodeAsync(new TrickleContent(large, maxChunk: 10_000), TestJsonContext.Default.JsonElement)));
        Assert.Equal(Expected(small), RawTexts(await DecodeAsync(new TrickleContent(small, maxChunk: 10_000), TestJsonContext.Default.JsonElement)));
    }

    [Theory]
    [InlineData(1024 * 1024)]
    [InlineData(2 * 1024 * 1024 + 12345)]
    [InlineData(4 * 1024 * 1024)]
    public async Task Varied_bodies_decode_to_exactly_the_serializers_items(int size)
    {
        var body = VariedBody(size);

        var items = await DecodeAsync(new ByteArrayContent(body), TestJsonContext.Default.JsonElement);

        Assert.Equal(Expected(body), RawTexts(items));
    }

    [Fact]
    public async Task Typed_records_decode_like_the_serializer_over_the_whole_body()
    {
        var text = new StringBuilder("[");
        for (var i = 0; text.Length < 1536 * 1024; i++)
        {
            if (i > 0) text.Append(i % 3 == 0 ? " ,\n" : ",");
            text.Append($"{{\"id\":{i},\"name\":\"n{i} [{{,\\\"}}] \\\\ \u00e9\u65e5 \ud83d\ude00\",\"tags\":[\"{i % 7}\",\"],[\",\"\"]}}");
        }
        var body = Encoding.UTF8.GetBytes(text.Append(']').ToString());
        var expected = JsonSerializer.Deserialize(body, JsonListInfo.For(TestJsonContext.Default.Order))!;

        var items = await DecodeAsync(TrickleContent.WithLength(body, maxChunk: 50_000, seed: 3), TestJsonContext.Default.Order);

        Assert.Equal(expected.Count, items.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, items[i].Id);
            Assert.Equal(expected[i].Name, items[i].Name);
            Assert.Equal(expected[i].Tags, items[i].Tags);
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4096, 2)]
    [InlineData(300_000, 3)]
    public async Task Bodies_trickled_in_small_reads_decode_exactly(int maxChunk, int seed)
    {
        var body = VariedBody(1024 * 1024 + 100);

        var items = await DecodeAsync(TrickleContent.WithLength(body, maxChunk, seed), TestJsonContext.Default.JsonElement);

        Assert.Equal(Expected(body), RawTexts(items));
    }

    [Fact]
    public async Task An_element_larger_than_a_slice_decodes_whole()
    {
        var big = "\"" + new string('x', 700 * 1024) + "\"";
        var body = Encoding.UTF8.GetBytes("[1," + big + ",[" + big + "],2]");

        var items = await DecodeAsync(TrickleContent.WithLength(body, maxChunk: 100_000), TestJsonContext.Default.JsonElement);

        Assert.Equal(Expected(body), RawTexts(items));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(3)]
    public async Task A_string_holding_structure_across_the_cut_point_stays_whole(int maxChunk)
    {
        // The first slice fills inside this string: commas and brackets there are not element boundaries.
        var inside = string.Concat(Enumerable.Repeat("a, ] } [ { ,", 40_000));
        var body = Encoding.UTF8.GetBytes("[1,\"" + inside + "\",{\"s\":\"" + inside + "\"},2," + string.Join(",", Enumerable.Range(0, 80_000)) + "]");
        Assert.True(body.Length >= SlicedBodyDecoder.MinBodyBytes);

        var items = await DecodeAsync(TrickleContent.WithLength(body, maxChunk), TestJsonContext.Default.JsonElement);

        Assert.Equal(Expected(body), RawTexts(items));
    }

    [Fact]
    public async Task Invalid_json_in_the_middle_is_a_parse_error_after_the_items_before_it()
    {
        var body = NumberedBody(2 * 1024 * 1024, out var count);
        var text = Encoding.UTF8.GetString(body);
        var bad = text.IndexOf($"{{\"n\":{count * 3 / 4}}}", StringComparison.Ordinal);
        body = Encoding.UTF8.GetBytes(text[..bad] + "{\"n\":x}" + text[(bad + $"{{\"n\":{count * 3 / 4}}}".Length)..]);
        var received = new List<Numbered>();

        var error = await Assert.ThrowsAsync<DurableStreamParseException>(() =>
            DecodeAsync(TrickleContent.WithLength(body, maxChunk: 64 * 1024), TestJsonContext.Default.Numbered, received));

        Assert.Equal(Url, error.Url);
        Assert.Equal("-1", error.Offset);
        // Whole slices before the bad element came first, in order; nothing from at or past it.
        Assert.True(received.Count > count / 2, $"only {received.Count} of {count * 3 / 4} items before the error");
        Assert.Equal(Enumerable.Range(0, received.Count), received.Select(i => i.N));
        Assert.True(received.Count < count * 3 / 4);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_is_a_network_error()
    {
        var body = NumberedBody(1024 * 1024 + 10, out _);

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() =>
            DecodeAsync(TrickleContent.WithLength(body, maxChunk: 64 * 1024, declaredLength: body.Length + 1000), TestJsonContext.Default.Numbered));

        Assert.Equal(Url, error.Url);
        Assert.Equal("-1", error.Offset);
    }

    [Fact]
    public async Task A_body_cut_off_mid_array_with_its_length_short_too_is_a_network_error()
    {
        var body = NumberedBody(2 * 1024 * 1024, out _);

        await Assert.ThrowsAsync<DurableStreamNetworkException>(() =>
            DecodeAsync(TrickleContent.WithLength(body[..(1200 * 1024)], maxChunk: 64 * 1024, declaredLength: body.Length), TestJsonContext.Default.Numbered));
    }

    public static TheoryData<string> FramingErrors()
    {
        var numbers = string.Join(",", Enumerable.Range(0, 250_000));
        const int size = 1024 * 1024 + 7;
        return new TheoryData<string>
        {
            ("[" + numbers + "]]").PadRight(size), // closes below depth 0
            ("[" + numbers + "] x").PadRight(size), // data after the array
            ("[" + numbers + "]").PadRight(size) + "[1]", // a second array
            ("[" + numbers).PadRight(size), // never closed, length matches
            ("[" + numbers + ",]").PadRight(size), // trailing comma
            ("[" + numbers + ",,1]").PadRight(size), // empty element
            ("[," + numbers + "]").PadRight(size), // empty first element
            ("[" + numbers + "}").PadRight(size), // mismatched close
            ("{\"a\":[" + numbers + "]}").PadRight(size), // an object, not an array
            ("[" + numbers + ",\"open").PadRight(size), // unterminated string
        };
    }

    [Theory]
    [MemberData(nameof(FramingErrors))]
    public async Task Framing_errors_are_parse_errors_as_for_the_serializer(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, JsonListInfo.For(TestJsonContext.Default.Int32)));

        await Assert.ThrowsAsync<DurableStreamParseException>(() =>
            DecodeAsync(TrickleContent.WithLength(body, maxChunk: 100_000), TestJsonContext.Default.Int32));
        await Assert.ThrowsAsync<DurableStreamParseException>(() =>
            DecodeAsync(new TrickleContent(body, maxChunk: 100_000), TestJsonContext.Default.Int32));
    }

    [Fact]
    public async Task An_empty_element_exactly_between_two_cuts_is_a_parse_error()
    {
        // The first read ends on a comma (first cut) and the next comma follows at once, then no comma
        // for more than a slice (second cut there): the slice between is "[]", valid alone, wrong here.
        var slice = SlicedBodyDecoder.SliceBytes;
        var text = "[1" + new string(' ', slice - 3) + ",,\"" + new string('x', (int)SlicedBodyDecoder.MinBodyBytes) + "\"]"; // over the sliced-path minimum
        var body = Encoding.UTF8.GetBytes(text);
        Assert.Equal((byte)',', body[slice - 1]);
        Assert.True(body.Length >= SlicedBodyDecoder.MinBodyBytes);

        await Assert.ThrowsAsync<DurableStreamParseException>(() => DecodeAsync(new ByteArrayContent(body), TestJsonContext.Default.JsonElement));
        await Assert.ThrowsAsync<DurableStreamParseException>(() => DecodeAsync(new TrickleContent(body, maxChunk: 100_000), TestJsonContext.Default.JsonElement));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("  [ \n ]  ")]
    [InlineData("")]
    public async Task Padded_empty_bodies_are_no_messages(string json)
    {
        var body = Padded(json, 1024 * 1024 + 3);

        Assert.Empty(await DecodeAsync(TrickleContent.WithLength(body, maxChunk: 100_000), TestJsonContext.Default.Int32));
    }

    [Fact]
    public async Task Whitespace_before_the_array_longer_than_a_read_is_skipped()
    {
        var body = Encoding.UTF8.GetBytes(new string(' ', 600 * 1024) + "[1,2,3]" + new string('\n', 600 * 1024));

        Assert.Equal([1, 2, 3], await DecodeAsync(TrickleContent.WithLength(body, maxChunk: 100_000), TestJsonContext.Default.Int32));
    }

    [Fact]
    public async Task Breaking_out_early_stops_reading_and_observes_every_slice()
    {
        // Invalid JSON further on: its slice may fail while the consumer is gone, and nobody may see that.
        var body = NumberedBody(4 * 1024 * 1024, out var count);
        var text = Encoding.UTF8.GetString(body);
        body = Encoding.UTF8.GetBytes(text.Replace($"{{\"n\":{count / 5}}}", "{\"n\":}"));
        var unobserved = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) =>
        {
            if (e.Exception.InnerExceptions.Any(x => x is DurableStreamParseException p && p.Url == Url)) lock (unobserved) unobserved.Add(e.Exception);
        };
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            var stream = new CountingStream(body);
            using (var batch = Batch(new StreamContentWithLength(stream, body.Length)))
            {
                var enumerator = await BatchDecoder.OpenItemsAsync(batch, TestJsonContext.Default.Numbered, Url, parallel: true, default);
                await using (enumerator)
                {
                    for (var i = 0; i < 10; i++)
                    {
                        Assert.True(await enumerator.MoveNextAsync());
                        Assert.Equal(i, enumerator.Current.N);
                    }
                }
            }
            // Reading stopped within the slices read ahead, far short of the whole body.
            Assert.True(stream.Position < body.Length / 2, $"read {stream.Position} of {body.Length} bytes");
            var readAfterDispose = stream.Position;
            await Task.Delay(50);
            Assert.Equal(readAfterDispose, stream.Position);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.Empty(unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }
    }

    [Fact]
    public async Task Cancelling_mid_body_throws_operation_cancelled()
    {
        // Two and a half slices of elements (fewer than the decoder reads ahead), then the connection goes quiet until cancelled.
        var prefix = NumberedBody(SlicedBodyDecoder.SliceBytes * 5 / 2, out _)[..^1];
        var stream = new HangingStream([.. prefix, (byte)',']);
        using var cts = new CancellationTokenSource();
        var received = new List<Numbered>();
        using var batch = Batch(new StreamContentWithLength(stream, 2 * 1024 * 1024));

        var enumerator = await BatchDecoder.OpenItemsAsync(batch, TestJsonContext.Default.Numbered, Url, parallel: true, cts.Token);
        await using (enumerator)
        {
            Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Hang));
            await stream.ReadPending.WaitAsync(TestTimeouts.Hang);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await enumerator.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Hang)) received.Add(enumerator.Current);
            });
        }
    }

    /// <summary>Content over a given stream with a declared length (StreamContent would not say it).</summary>
    private sealed class StreamContentWithLength(Stream stream, long length) : HttpContent
    {
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(stream);
        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) => stream.CopyToAsync(target);

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return true;
        }
    }

    /// <summary>A body in memory that reads asynchronously and counts what was read.</summary>
    private sealed class CountingStream(byte[] data) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => Interlocked.Read(ref _position); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var at = (int)Interlocked.Read(ref _position);
            var n = Math.Min(Math.Min(buffer.Length, 32 * 1024), data.Length - at);
            data.AsSpan(at, n).CopyTo(buffer.Span);
            Interlocked.Add(ref _position, n);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
