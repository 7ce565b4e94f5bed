using System.Text;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// A response whose body breaks off mid-way delivered nothing, so the buffered read shapes (chunks,
/// JSON batches) fetch it again from the same offset: nothing lost, nothing delivered twice.
/// </summary>
public sealed class BodyFailureRetryTests
{
    /// <summary>Serves "[1,2" and then fails, as a connection reset mid-body would.</summary>
    private sealed class BrokenContent(byte[] prefix) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            throw new IOException("connection reset mid-body");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new CutStream(prefix));
    }

    private static FakeClient Serve(int brokenResponses)
    {
        var served = 0;
        return new FakeClient(new FakeHttpHandler(request =>
        {
            if (!request.IsCatchUp) return Respond.Unexpected(request);
            Assert.Equal("-1", request.Query("offset")); // every attempt starts where the broken one did
            return served++ < brokenResponses
                ? Respond.Read(new BrokenContent(Encoding.UTF8.GetBytes("[1,2")), "application/json", "1_9")
                : Respond.Read("[1,2,3]", "application/json", "1_9");
        }));
    }

    [Fact]
    public async Task Chunks_refetch_a_body_cut_off_by_the_network()
    {
        using var fake = Serve(brokenResponses: 2);
        await using var response = await fake.Client.GetStream("s").ReadAsync();

        var chunks = new List<string>();
        await foreach (var chunk in response.ReadChunksAsync().WithHangGuard())
            chunks.Add(Encoding.UTF8.GetString(chunk.Data.Span));

        Assert.Equal(["[1,2,3]"], chunks);
        Assert.Equal(3, fake.Handler.Requests.Count);
    }

    [Fact]
    public async Task Json_batches_refetch_a_body_cut_off_by_the_network()
    {
        using var fake = Serve(brokenResponses: 1);
        await using var response = await fake.Client.GetStream("s").ReadAsync();

        var items = new List<int>();
        await foreach (var batch in response.ReadJsonBatchesAsync(TestJsonContext.Default.Int32).WithHangGuard())
            items.AddRange(batch.Items);

        Assert.Equal([1, 2, 3], items);
    }

    [Fact]
    public async Task A_body_that_keeps_failing_surfaces_a_network_error_after_the_retries()
    {
        using var fake = Serve(brokenResponses: int.MaxValue);
        await using var response = await fake.Client.GetStream("s").ReadAsync();

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.Network, error.Code);
        Assert.Equal(1 + new RetryOptions().MaxRetries, fake.Handler.Requests.Count);
    }
}
