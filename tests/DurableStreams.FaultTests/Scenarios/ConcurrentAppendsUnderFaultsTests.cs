using System.Collections.Concurrent;
using DurableStreams.FaultTests.Infrastructure;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (b) Fifty callers appending at once through one handle (batched appends) through the fault proxy: every message is
/// stored exactly once, or its caller got an exception for it; never a silent loss, never a duplicate.
/// </summary>
public sealed class ConcurrentAppendsUnderFaultsTests
{
    private const int Callers = 50;

    [Theory]
    [InlineData(UpstreamKind.EmbeddedMemory)]
    [InlineData(UpstreamKind.Reference)]
    public Task Batched_appends_from_fifty_callers_are_stored_once_or_reported(UpstreamKind kind)
    {
        var key = $"BatchedAppends.OnceOrReported.{kind}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(
            TimeSpan.FromSeconds(FaultSettings.Long ? 1200 : 120), key, async cancellationToken =>
            {
                var perCaller = FaultSettings.MessagesPerCaller;
                FaultSettings.RandomFor(key, out var seed);
                await using var upstream = await Upstreams.StartAsync(kind);
                await using var proxy = await FaultProxy.StartAsync(() => upstream.ServerRoot, seed);
                var path = "batched-" + Guid.NewGuid().ToString("N");
                using (var direct = new DurableStreamClient(upstream.StreamBase))
                    await direct.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }, cancellationToken);

                using var client = new DurableStreamClient(proxy.StreamBase); // default options: batched appends on
                var stream = client.GetStream(path, "application/json");
                var failed = new ConcurrentDictionary<(int Source, int Seq), Exception>();
                var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
                {
                    for (var seq = 0; seq < perCaller; seq++)
                    {
                        try
                        {
                            await stream.AppendJsonAsync(new Msg(caller, seq, $"c{caller}-{seq}"), FaultJson.Default.Msg, cancellationToken: cancellationToken);
                        }
                        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                        {
                            failed[(caller, seq)] = e;
                        }
                    }
                }, cancellationToken)).ToArray();
                await Task.WhenAll(callers);

                FaultSettings.Log($"[faults] {key}: {Callers} x {perCaller} appends through {upstream.Name}, {failed.Count} reported failures; proxy: {proxy}");
                var untyped = failed.Values.Where(e => e is not DurableStreamException).ToList();
                Assert.True(untyped.Count == 0, $"{untyped.Count} failures were not DurableStreamExceptions, e.g. {untyped.FirstOrDefault()}");
                var stored = await StreamAudit.ReadAllAsync(new Uri(upstream.StreamBase, path), cancellationToken);
                Assert.All(stored, m => Assert.Equal($"c{m.Source}-{m.Seq}", m.Pad));
                SequenceChecker.AssertAtMostOnceAndNoSilentLoss(stored, Callers, perCaller, failed.Keys.ToHashSet(), key);
            }));
    }
}
