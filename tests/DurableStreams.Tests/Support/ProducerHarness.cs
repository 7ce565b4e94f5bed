namespace DurableStreams.Tests.Support;

internal static class ProducerHarness
{
    /// <summary>
    /// A producer on a text stream served by <paramref name="server"/>, at explicit epoch 0, without
    /// linger and one request in flight unless configured (tests of a new session set <c>Epoch = null</c>).
    /// Without linger, appends made while every slot is busy share the next batch; tests that need one
    /// batch per append set <c>MaxBatchItems = 1</c>. Until its first batch is stored, a producer has
    /// one request in flight whatever MaxInFlight says.
    /// </summary>
    public static (FakeClient Fake, IdempotentProducer Producer) Create(FakeProducerServer server, Action<IdempotentProducerOptions>? configure = null,
        Action<DurableStreamClientOptions>? client = null)
    {
        var fake = new FakeClient(server.Handler, client);
        var options = new IdempotentProducerOptions { ProducerId = "p", Epoch = 0, Linger = TimeSpan.Zero, MaxInFlight = 1 };
        configure?.Invoke(options);
        return (fake, fake.Client.GetStream("s", "text/plain").CreateProducer(options));
    }

    public static string? Seq(this RecordedRequest request) => request.Header("Producer-Seq");
    public static string? Epoch(this RecordedRequest request) => request.Header("Producer-Epoch");
}
