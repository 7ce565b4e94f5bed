using System.Net.Http.Json;
using DurableStreams.FaultTests.Infrastructure;
using DurableStreams.Server;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// The suite's own machinery can fail: the ratchet fails a listed case that passes, the known-failures list names
/// only real cases, and the proxy's drops after forward really do produce duplicates the audit catches when the
/// writer is not idempotent.
/// </summary>
public sealed class SuiteSelfTests
{
    [Fact]
    public async Task Ratchet_fails_a_listed_case_that_passes_and_absorbs_a_listed_case_that_fails()
    {
        var listed = new HashSet<string> { "Self.Listed" };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => KnownFailures.RunAsync("Self.Listed", () => Task.CompletedTask, listed));
        Assert.Contains("remove it from the list", error.Message, StringComparison.Ordinal);
        await KnownFailures.RunAsync("Self.Listed", () => throw new InvalidOperationException("still broken"), listed);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KnownFailures.RunAsync("Self.NotListed", () => throw new InvalidOperationException("broken"), listed));
    }

    [Fact]
    public void Known_failures_list_names_only_cases_that_exist()
    {
        var stale = KnownFailures.Keys.Where(k => !SuiteCases.All.Contains(k)).ToList();
        Assert.True(stale.Count == 0, $"{KnownFailures.FileName} lists cases that do not exist: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Sequence_checker_reports_gaps_duplicates_and_disorder()
    {
        SequenceChecker.AssertExact([0, 1, 2], 3, "fine");
        Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertExact([0, 2], 3, "gap"));
        Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertExact([0, 1, 1, 2], 3, "duplicate"));
        Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertExact([1, 0, 2], 3, "disorder"));
        Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertAtMostOnceAndNoSilentLoss([new Msg(0, 0, "")], 1, 2, new HashSet<(int, int)>(), "silent loss"));
        Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertAtMostOnceAndNoSilentLoss([new Msg(0, 0, ""), new Msg(0, 0, "")], 1, 1, new HashSet<(int, int)>(), "duplicate"));
    }

    [Fact]
    public Task Drops_after_forward_duplicate_a_naive_writer_and_the_audit_sees_it() =>
        HardDeadline.RunAsync(TimeSpan.FromSeconds(30), "naive writer", async cancellationToken =>
        {
            FaultSettings.RandomFor("Self.NaiveWriter", out var seed);
            await using var upstream = await EmbeddedUpstream.StartAsync(DurableStreamsStoreKind.Memory);
            await using var proxy = await FaultProxy.StartAsync(() => upstream.ServerRoot, seed, new FaultMix { DropAfterForward = 0.5 });
            var path = "naive-" + Guid.NewGuid().ToString("N");
            using (var direct = new DurableStreamClient(upstream.StreamBase))
                await direct.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }, cancellationToken);

            using var http = new HttpClient();
            const int count = 20;
            for (var i = 0; i < count; i++)
            {
                while (true) // retry until an answer arrives, with no idempotence: what the SDK must not do
                {
                    try
                    {
                        using var response = await http.PostAsync(new Uri(proxy.StreamBase, path),
                            JsonContent.Create(new Msg(0, i, ""), FaultJson.Default.Msg), cancellationToken);
                        response.EnsureSuccessStatusCode();
                        break;
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
            }

            Assert.True(proxy.Count(FaultKind.DropAfterForward) > 0);
            var stored = await StreamAudit.ReadAllAsync(new Uri(upstream.StreamBase, path), cancellationToken);
            Assert.ThrowsAny<Exception>(() => SequenceChecker.AssertExact(stored.Select(m => m.Seq).ToList(), count, "naive writer"));
        });
}
