using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>Closing through a producer (pitfall P7): flush, then one close request with the next seq.</summary>
public sealed class ProducerCloseTests
{
    [Fact]
    public async Task CloseStreamAsync_twice_sends_one_close_request_after_the_data()
    {
        var server = new FakeProducerServer();
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");
        var first = producer.CloseStreamAsync();
        var second = producer.CloseStreamAsync();
        var results = await Task.WhenAll(first, second).WaitAsync(TestTimeouts.Hang);
        var third = await producer.CloseStreamAsync().WaitAsync(TestTimeouts.Hang);

        var closes = server.Handler.Requests.Where(r => r.Header("Stream-Closed") == "true").ToList();
        var close = Assert.Single(closes);
        Assert.Equal("1", close.Seq()); // the next seq after the data batch
        Assert.Empty(close.Body ?? []);
        Assert.Equal("1", results[0].FinalOffset);
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], third);
        Assert.True(server.Closed);
        Assert.Equal(["a"], server.Stored);
    }

    [Fact]
    public async Task Close_with_final_data_appends_it_atomically()
    {
        var server = new FakeProducerServer();
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.CloseStreamAsync("z"u8.ToArray()).WaitAsync(TestTimeouts.Hang);

        var close = Assert.Single(server.Handler.Requests, r => r.Header("Stream-Closed") == "true");
        Assert.Equal("z", close.BodyText);
        Assert.Equal(["a", "z"], server.Stored);
        await Assert.ThrowsAsync<InvalidOperationException>(() => producer.AppendAsync("late").AsTask());
    }
}
