using System.Net;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// The idempotent producer rides through a server outage by itself: a forwarder in front of the
/// reference server refuses connections, answers 503, or drops the connection after forwarding for
/// about 1.5 s; the producer keeps its batches' numbers, finishes, and the stream holds every message
/// exactly once, in order. Past <see cref="IdempotentProducerOptions.OutageRetryTimeout"/> the caller
/// gets a typed exception that says whether the batch may have been stored.
/// </summary>
public sealed class ProducerOutageTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    public enum OutageKind { ConnectionRefused, ServiceUnavailable, DroppedAfterForward }

    /// <summary>Forwards to the real server, except during the outage, which starts at a given POST.</summary>
    private sealed class OutageForwarder(OutageKind kind, int startAtPost, TimeSpan duration) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly Lock _gate = new();
        private int _posts;
        private DateTime? _until;

        public int Faulted;
        public bool Started { get { lock (_gate) return _until is not null; } }

        private bool InOutage(HttpRequestMessage request)
        {
            lock (_gate)
            {
                if (request.Method == HttpMethod.Post && ++_posts == startAtPost) _until = DateTime.UtcNow + duration;
                return _until is { } until && DateTime.UtcNow < until;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!InOutage(request)) return await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref Faulted);
            switch (kind)
            {
                case OutageKind.ConnectionRefused:
                    throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused (outage)");
                case OutageKind.ServiceUnavailable:
                    return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("restarting") };
                default:
                    using (await base.SendAsync(request, cancellationToken)) { }
                    throw new HttpRequestException(HttpRequestError.ResponseEnded, "connection dropped after forwarding (outage)");
            }
        }
    }

    private (HttpClient Http, DurableStreamClient Client) ClientThrough(OutageForwarder forwarder, int maxRetries)
    {
        var http = new HttpClient(forwarder) { BaseAddress = fixture.StreamBase, Timeout = Timeout.InfiniteTimeSpan };
        var client = new DurableStreamClient(http, new DurableStreamClientOptions
        {
            // A small one-shot budget, so that the outage outlasts it and the producer's own resending is what rides through.
            Retry = new RetryOptions { MaxRetries = maxRetries, InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
        });
        return (http, client);
    }

    [Theory]
    [InlineData(OutageKind.ConnectionRefused)]
    [InlineData(OutageKind.ServiceUnavailable)]
    [InlineData(OutageKind.DroppedAfterForward)]
    public async Task The_producer_finishes_through_an_outage_with_every_message_stored_once(OutageKind kind)
    {
        const int count = 1500;
        var path = ReferenceServerFixture.NewPath("outage");
        using (var setup = fixture.CreateClient())
            await setup.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        var forwarder = new OutageForwarder(kind, startAtPost: 4, duration: TimeSpan.FromSeconds(1.5));
        var (http, client) = ClientThrough(forwarder, maxRetries: 1);
        using (http)
        using (client)
        {
            var stream = client.GetStream(path, "application/json");
            await using var producer = stream.CreateProducer(new IdempotentProducerOptions
            {
                ProducerId = "outage",
                MaxInFlight = 4,
                MaxBatchItems = 10,
                Linger = TimeSpan.FromMilliseconds(1),
            });
            for (var i = 0; i < count; i++)
                await producer.AppendJsonAsync(new Tick(i, $"payload-{i}"), TestJsonContext.Default.Tick).AsTask().WaitAsync(TestTimeouts.Hang);
            await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.True(forwarder.Started);
        Assert.True(forwarder.Faulted > 2, $"the outage hit {forwarder.Faulted} requests");
        using var reader = fixture.CreateClient();
        await using var response = await reader.GetStream(path).ReadAsync();
        var ticks = await response.ReadAllJsonAsync(TestJsonContext.Default.Tick).WaitAsync(TestTimeouts.Hang);
        Assert.Equal(Enumerable.Range(0, count), ticks.Select(t => t.I));
        Assert.All(ticks, t => Assert.Equal($"payload-{t.I}", t.Payload));
    }

    [Theory]
    [InlineData(OutageKind.ConnectionRefused, WriteOutcome.NotStored)]
    [InlineData(OutageKind.ServiceUnavailable, WriteOutcome.NotStored)]
    [InlineData(OutageKind.DroppedAfterForward, WriteOutcome.Unknown)]
    public async Task Past_OutageRetryTimeout_the_caller_gets_a_typed_exception_with_the_outcome(OutageKind kind, WriteOutcome outcome)
    {
        var path = ReferenceServerFixture.NewPath("outage-timeout");
        using (var setup = fixture.CreateClient())
            await setup.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        var forwarder = new OutageForwarder(kind, startAtPost: 2, duration: TimeSpan.FromHours(1));
        var (http, client) = ClientThrough(forwarder, maxRetries: 1);
        using (http)
        using (client)
        {
            var producer = client.GetStream(path, "application/json").CreateProducer(new IdempotentProducerOptions
            {
                ProducerId = "outage-timeout",
                OutageRetryTimeout = TimeSpan.FromSeconds(1),
            });
            await producer.AppendJsonAsync(new Tick(0, "first"), TestJsonContext.Default.Tick);
            await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
            await producer.AppendJsonAsync(new Tick(1, "second"), TestJsonContext.Default.Tick);

            var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));

            Assert.Equal(outcome, error.Outcome);
            Assert.True(error is DurableStreamNetworkException || error.Status == HttpStatusCode.ServiceUnavailable, error.ToString());
            Assert.True(forwarder.Faulted > 2, $"the producer resent {forwarder.Faulted} times");
        }
    }
}
