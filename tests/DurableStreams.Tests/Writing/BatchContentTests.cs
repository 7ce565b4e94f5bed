using System.Text;
using DurableStreams.Writing;

namespace DurableStreams.Tests.Writing;

/// <summary>
/// The streamed POST body of a batch: exact bytes (JSON array or concatenation), a length known
/// before writing that matches what is written, and the same bytes again for a retry.
/// </summary>
public sealed class BatchContentTests
{
    private static ReadOnlyMemory<byte>[] Items(params string[] items) => items.Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(i)).ToArray();

    private static async Task<byte[]> WriteAsync(HttpContent content)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static byte[] Write(HttpContent content)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer, null, CancellationToken.None);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData(true, new[] { "1" }, "[1]")]
    [InlineData(true, new[] { "{\"a\":1}", "\"x\"", "[2,3]" }, "[{\"a\":1},\"x\",[2,3]]")]
    [InlineData(false, new[] { "ab" }, "ab")]
    [InlineData(false, new[] { "ab", "", "cd", "e" }, "abcde")]
    public async Task Writes_the_framed_items_and_announces_their_exact_length(bool json, string[] items, string expected)
    {
        using var content = new BatchContent(Items(items), json);

        var written = await WriteAsync(content);

        Assert.Equal(expected, Encoding.UTF8.GetString(written));
        Assert.Equal(written.Length, content.Headers.ContentLength);
    }

    [Fact]
    public void The_synchronous_write_gives_the_same_bytes()
    {
        using var content = new BatchContent(Items("1", "2", "3"), json: true);

        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString(Write(content)));
    }

    [Fact]
    public async Task Items_larger_than_the_scratch_buffer_are_written_whole_and_in_order()
    {
        // 100 KB and 200 KB values cross the pooled buffer's edges, as do the separators around them.
        var big = "\"" + new string('a', 100_000) + "\"";
        var bigger = "\"" + new string('b', 200_000) + "\"";
        var items = Items("1", big, "2", bigger, "3");
        using var json = new BatchContent(items, json: true);
        using var raw = new BatchContent(items, json: false);

        var jsonBytes = await WriteAsync(json);
        var rawBytes = Write(raw);

        Assert.Equal($"[1,{big},2,{bigger},3]", Encoding.UTF8.GetString(jsonBytes));
        Assert.Equal(jsonBytes.Length, json.Headers.ContentLength);
        Assert.Equal($"1{big}2{bigger}3", Encoding.UTF8.GetString(rawBytes));
        Assert.Equal(rawBytes.Length, raw.Headers.ContentLength);
    }

    [Fact]
    public async Task A_retry_gets_fresh_content_with_the_same_bytes()
    {
        var body = new BatchBody(Items("{\"n\":1}", "{\"n\":2}"), json: true);

        using var first = body.CreateContent();
        using var second = body.CreateContent();
        var firstBytes = await WriteAsync(first);
        var secondBytes = await WriteAsync(second);

        Assert.NotSame(first, second);
        Assert.Equal("[{\"n\":1},{\"n\":2}]", Encoding.UTF8.GetString(firstBytes));
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(firstBytes.Length, second.Headers.ContentLength);
        // The same instance written twice (e.g. by a handler that buffers it) also repeats itself.
        Assert.Equal(firstBytes, await WriteAsync(first));
    }

    [Fact]
    public void An_empty_json_batch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new BatchContent([], json: true));
    }
}
