using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Producers;

/// <summary>
/// Epoch fencing (pitfalls P3, P4): a 403 carries the server's epoch; with auto-claim the producer
/// takes epoch + 1, resends the same batch as seq 0 and renumbers what follows.
/// </summary>
public sealed class ProducerEpochTests
{
    [Fact]
    public async Task Auto_claim_adopts_the_server_epoch_plus_one_and_restarts_seq_at_zero()
    {
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 7, lastSeq: 41);
        var (fake, producer) = ProducerHarness.Create(server, o => { o.AutoClaim = true; o.MaxInFlight = 5; o.MaxBatchItems = 1; });
        using var _ = fake;

        await producer.AppendAsync("a");
        await producer.AppendAsync("b");
        await producer.AppendAsync("c");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a", "b", "c"], server.Stored);
        Assert.Equal(8, producer.Epoch);
        var requests = server.Handler.Requests;
        // Before the claim is confirmed only one request is in flight, so exactly one is fenced.
        var fenced = Assert.Single(requests, r => r.Epoch() == "0");
        Assert.Equal("0", fenced.Seq());
        Assert.Equal("a", fenced.BodyText);
        var claimed = requests.Where(r => r.Epoch() == "8").ToList();
        Assert.Equal([("0", "a"), ("1", "b"), ("2", "c")], claimed.Select(r => (r.Seq(), r.BodyText)));
        Assert.Equal(3, producer.NextSeq);
    }

    [Fact]
    public async Task Without_auto_claim_a_stale_epoch_fails_with_the_servers_epoch()
    {
        var server = new FakeProducerServer();
        server.SeedProducer("p", epoch: 7, lastSeq: 0);
        var (fake, producer) = ProducerHarness.Create(server);
        using var _ = fake;

        await producer.AppendAsync("a");

        var error = await Assert.ThrowsAsync<StaleProducerEpochException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(7, error.CurrentEpoch);
        Assert.Equal(DurableStreamErrorCode.StaleProducerEpoch, error.Code);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Status);
        Assert.Empty(server.Stored);
    }

    [Fact]
    public async Task Auto_claim_does_not_loop_on_a_403_that_is_not_an_epoch_fence()
    {
        // An authorization 403 carries no Producer-Epoch: there is no epoch to claim, so the failure
        // must surface instead of the producer bumping its epoch and resending forever.
        var server = new FakeProducerServer { Override = (_, _, _) => Respond.Status(System.Net.HttpStatusCode.Forbidden, "no write access") };
        var (fake, producer) = ProducerHarness.Create(server, o => o.AutoClaim = true);
        using var _ = fake;

        await producer.AppendAsync("a");

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.Status);
        Assert.InRange(server.Handler.Requests.Count, 1, 3);
    }

    [Fact]
    public async Task Fenced_mid_stream_with_batches_in_flight_the_claim_keeps_every_message_once_in_order()
    {
        // Epoch 0 is confirmed, four more batches are pipelined, then another instance takes epoch 5
        // before any of them is processed: all four are fenced (403) and must be resent in order.
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeProducerServer server = null!;
        server = new FakeProducerServer
        {
            BeforeProcessing = (_, epoch, seq) =>
            {
                if (epoch != 0 || seq == 0) return Task.CompletedTask;
                if (Interlocked.Increment(ref arrived) == 4)
                {
                    server.SeedProducer("p", epoch: 5, lastSeq: 0);
                    allArrived.TrySetResult();
                }
                return allArrived.Task;
            },
        };
        var (fake, producer) = ProducerHarness.Create(server, o => { o.AutoClaim = true; o.MaxInFlight = 5; o.MaxBatchItems = 1; });
        using var _ = fake;

        await producer.AppendAsync("0;");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang); // epoch 0 confirmed
        for (var i = 1; i <= 4; i++) await producer.AppendAsync($"{i};");
        await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("0;1;2;3;4;", string.Concat(server.Stored));
        Assert.True(producer.Epoch > 5);
    }
}
