using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// The idempotent producer against the reference server: pipelined batches, server faults and
/// reordering still store every message exactly once, in order.
/// </summary>
public sealed class ProducerEndToEndTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    public enum FaultKind { None, PipelinedBatchDelayed, ServiceUnavailable, ConnectionDropped }

    [Theory]
    [InlineData(FaultKind.None)]
    [InlineData(FaultKind.PipelinedBatchDelayed)] // later batches overtake it: 409 gaps to recover from
    [InlineData(FaultKind.ServiceUnavailable)]    // retried with the same (id, epoch, seq)
    [InlineData(FaultKind.ConnectionDropped)]     // no response at all: retried, deduplicated
    public async Task Two_thousand_pipelined_messages_arrive_exactly_once_in_order(FaultKind fault)
    {
        const int count = 2000;
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("producer");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        var serverPath = fixture.ServerPath(path);
        switch (fault)
        {
            case FaultKind.ServiceUnavailable:
                await fixture.InjectAsync(new Fault(serverPath) { Status = 503, Count = 3, Method = "POST" });
                break;
            case FaultKind.ConnectionDropped:
                await fixture.InjectAsync(new Fault(serverPath) { DropConnection = true, Count = 2, Method = "POST" });
                break;
        }

        await using (var producer = stream.CreateProducer(new IdempotentProducerOptions
        {
            ProducerId = "e2e",
            MaxInFlight = 5,
            Linger = TimeSpan.FromMilliseconds(2),
            MaxBatchItems = 25,
        }))
        {
            // The first batch goes alone (it confirms the epoch); the delayed one is the first pipelined.
            await producer.AppendJsonAsync(new Tick(0, "payload-0"), TestJsonContext.Default.Tick);
            await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
            if (fault == FaultKind.PipelinedBatchDelayed)
                await fixture.InjectAsync(new Fault(serverPath) { DelayMs = 300, Count = 1, Method = "POST" });
            for (var i = 1; i < count; i++)
                await producer.AppendJsonAsync(new Tick(i, $"payload-{i}"), TestJsonContext.Default.Tick);
            await producer.FlushAsync().WaitAsync(TestTimeouts.Hang);
            await producer.CloseStreamAsync().WaitAsync(TestTimeouts.Hang);
        }

        await using var response = await stream.ReadAsync();
        var ticks = await response.ReadAllJsonAsync(TestJsonContext.Default.Tick).WaitAsync(TestTimeouts.Hang);
        Assert.Equal(Enumerable.Range(0, count), ticks.Select(t => t.I));
        Assert.All(ticks, t => Assert.Equal($"payload-{t.I}", t.Payload));
        Assert.True(response.StreamClosed);
    }

    [Fact]
    public async Task Auto_claim_fences_the_older_producer()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("claim"), new CreateStreamOptions { ContentType = "text/plain" });
        var old = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "shared", Epoch = 5, Linger = TimeSpan.Zero });
        await old.AppendAsync("old;");
        await old.FlushAsync();

        var fresh = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "shared", AutoClaim = true, Linger = TimeSpan.Zero });
        await fresh.AppendAsync("fresh;");
        await fresh.FlushAsync().WaitAsync(TestTimeouts.Hang);
        await old.AppendAsync("zombie;");
        var error = await Assert.ThrowsAsync<StaleProducerEpochException>(() => old.FlushAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(6, fresh.Epoch);
        Assert.Equal(6, error.CurrentEpoch);
        await using var response = await stream.ReadAsync();
        Assert.Equal("old;fresh;", await response.ReadAllTextAsync());
    }

    [Fact]
    public async Task Producer_writes_to_a_missing_stream_fail_the_flush()
    {
        using var client = fixture.CreateClient();
        var stream = client.GetStream(ReferenceServerFixture.NewPath("missing"), "text/plain");
        var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "p", Linger = TimeSpan.Zero });

        await producer.AppendAsync("lost?");

        await Assert.ThrowsAsync<StreamNotFoundException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));
    }
}
