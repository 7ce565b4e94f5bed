namespace DurableStreams.Tests.Support;

internal static class ProducerHarness
{
    /// <summary>
    /// A producer on a text stream served by <paramref name="server"/>, without linger and one request
    /// in flight unless configured. Without linger, appends made while every slot is busy share the
    /// next batch; tests that need one batch per append set <c>MaxBatchItems = 1</c>.
    /// </summary>
    public static (FakeClient Fake, IdempotentProducer Producer) Create(FakeProducerServer server, Action<IdempotentProducerOptions>? configure = null)
    {
        var fake = new FakeClient(server.Handler);
        var options = new IdempotentProducerOptions { ProducerId = "p", Linger = TimeSpan.Zero, MaxInFlight = 1 };
        configure?.Invoke(options);
        return (fake, fake.Client.GetStream("s", "text/plain").CreateProducer(options));
    }

    public static string? Seq(this RecordedRequest request) => request.Header("Producer-Seq");
    public static string? Epoch(this RecordedRequest request) => request.Header("Producer-Epoch");
}
