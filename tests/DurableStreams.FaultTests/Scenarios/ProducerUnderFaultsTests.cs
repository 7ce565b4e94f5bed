using DurableStreams.FaultTests.Infrastructure;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (a) The idempotent producer through the fault proxy (503s, drops after forward, cut bodies, delays): every
/// message stored exactly once and in order, read back directly from the server, and the caller never sees a failure.
/// </summary>
public sealed class ProducerUnderFaultsTests
{
    [Theory]
    [InlineData(UpstreamKind.EmbeddedMemory)]
    [InlineData(UpstreamKind.Reference)]
    public Task Idempotent_producer_stores_every_message_exactly_once_in_order(UpstreamKind kind)
    {
        var key = $"Producer.ExactlyOnce.{kind}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(
            TimeSpan.FromSeconds(FaultSettings.Long ? 1200 : 120), key, async cancellationToken =>
            {
                var count = FaultSettings.ProducerMessages;
                FaultSettings.RandomFor(key, out var seed);
                await using var upstream = await Upstreams.StartAsync(kind);
                await using var proxy = await FaultProxy.StartAsync(() => upstream.ServerRoot, seed);
                var path = "producer-" + Guid.NewGuid().ToString("N");
                using (var direct = new DurableStreamClient(upstream.StreamBase))
                    await direct.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }, cancellationToken);

                using var client = new DurableStreamClient(proxy.StreamBase); // default options: what users get
                var stream = client.GetStream(path, "application/json");
                await using (var producer = stream.CreateProducer(new IdempotentProducerOptions
                {
                    ProducerId = "fault-suite",
                    MaxBatchItems = 50, // many requests, so many faults
                    Linger = TimeSpan.FromMilliseconds(2),
                }))
                {
                    // A new session's opening batch (implicit epoch) is the one batch whose lost answer cannot be
                    // told apart from an earlier session's batch at the same number: the producer then throws
                    // ProducerOutcomeUnknownException (pinned in ProducerSessionTests). So the session opens
                    // with faults off, and every later request runs under the full mix.
                    var mix = proxy.Mix;
                    proxy.Mix = FaultMix.None;
                    await producer.AppendJsonAsync(new Msg(0, 0, "p0"), FaultJson.Default.Msg, cancellationToken);
                    await producer.FlushAsync(cancellationToken);
                    proxy.Mix = mix;
                    for (var i = 1; i < count; i++)
                        await producer.AppendJsonAsync(new Msg(0, i, "p" + i), FaultJson.Default.Msg, cancellationToken);
                    await producer.FlushAsync(cancellationToken);
                }

                FaultSettings.Log($"[faults] {key}: {count} messages through {upstream.Name}; proxy: {proxy}");
                Assert.True(proxy.Count(FaultKind.DropAfterForward) + proxy.Count(FaultKind.Unavailable) > 0, "No fault was injected: the scenario proves nothing.");
                var stored = await StreamAudit.ReadAllAsync(new Uri(upstream.StreamBase, path), cancellationToken);
                Assert.All(stored, m => Assert.Equal("p" + m.Seq, m.Pad));
                SequenceChecker.AssertExact(stored.Select(m => m.Seq).ToList(), count, $"{key} stored");
            }));
    }
}
