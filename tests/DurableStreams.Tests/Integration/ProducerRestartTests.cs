using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// Several instances of one producer id against the reference server (§5.2.1 restart flow): a new
/// instance stores its messages under an epoch of its own and fences the older one; instances that
/// share an explicit epoch fail instead of losing data. Every message is stored once, or its writer
/// gets an exception.
/// </summary>
public sealed class ProducerRestartTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static IdempotentProducerOptions Billing(Action<IdempotentProducerOptions>? configure = null)
    {
        var options = new IdempotentProducerOptions { ProducerId = "billing", Linger = TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    private async Task<DurableStream> NewStreamAsync(DurableStreamClient client, string name) =>
        await client.CreateStreamAsync(ReferenceServerFixture.NewPath(name), new CreateStreamOptions { ContentType = "text/plain" });

    private static async Task<List<string>> MessagesAsync(DurableStream stream)
    {
        await using var response = await stream.ReadAsync();
        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);
        return [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task AppendAllAsync(IdempotentProducer producer, string prefix, int count)
    {
        for (var i = 0; i < count; i++) await producer.AppendAsync($"{prefix}{i};");
    }

    [Fact]
    public async Task Restarted_producer_stores_its_messages_after_the_first_runs_under_the_next_epoch()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "restart");

        await using (var first = stream.CreateProducer(Billing()))
        {
            await AppendAllAsync(first, "a", 3);
            await first.FlushAsync().WaitAsync(TestTimeouts.Hang);
            Assert.Equal(0, first.Epoch);
        }
        var second = stream.CreateProducer(Billing());
        await AppendAllAsync(second, "b", 3);
        await second.FlushAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a0", "a1", "a2", "b0", "b1", "b2"], await MessagesAsync(stream));
        Assert.Equal(1, second.Epoch);
    }

    [Fact]
    public async Task Producer_restarted_after_a_crash_mid_flush_loses_and_duplicates_nothing()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "crash");
        // The first run dies with batches in flight: 4 requests answered, 3 more reach the server
        // unanswered, the rest never leave the process.
        var crashing = new CrashingHandler(delivered: 4, unanswered: 3);
        using var deadHttp = new HttpClient(crashing) { BaseAddress = fixture.StreamBase };
        using var deadClient = new DurableStreamClient(deadHttp);
        var dead = deadClient.GetStream(stream.Url.ToString(), "text/plain")
            .CreateProducer(Billing(o => { o.MaxBatchItems = 10; o.MaxInFlight = 4; }));
        await AppendAllAsync(dead, "a", 200);
        await crashing.Crashed.WaitAsync(TestTimeouts.Hang); // the server has finished the requests whose answers are lost

        var restarted = stream.CreateProducer(Billing(o => { o.MaxBatchItems = 10; o.MaxInFlight = 4; }));
        await AppendAllAsync(restarted, "b", 100);
        await restarted.FlushAsync().WaitAsync(TestTimeouts.Hang);

        var messages = await MessagesAsync(stream);
        var fromDead = messages.TakeWhile(m => m.StartsWith('a')).ToList();
        Assert.Equal(Enumerable.Range(0, fromDead.Count).Select(i => $"a{i}"), fromDead); // a prefix, each once
        Assert.NotEmpty(fromDead); // at least its first batch was answered
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"b{i}"), messages.Skip(fromDead.Count));
        Assert.True(restarted.Epoch >= 1);
    }

    [Fact]
    public async Task Older_instance_still_running_is_fenced_and_the_newer_ones_messages_are_all_stored()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "fence");
        var older = stream.CreateProducer(Billing(o => o.MaxInFlight = 4));
        var olderWrote = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var olderRun = Task.Run(async () =>
        {
            // Keeps writing until it is stopped; bounded in case it never is.
            for (var i = 0; i < 100_000; i++)
            {
                await older.AppendAsync($"a{i};");
                if (i % 10 != 9) continue;
                await older.FlushAsync();
                olderWrote.TrySetResult();
            }
        });
        await olderWrote.Task.WaitAsync(TestTimeouts.Hang);

        var newer = stream.CreateProducer(Billing(o => o.MaxInFlight = 4));
        await AppendAllAsync(newer, "b", 50);
        await newer.FlushAsync().WaitAsync(TestTimeouts.Hang);

        var error = await Assert.ThrowsAsync<StaleProducerEpochException>(() => olderRun.WaitAsync(TestTimeouts.Hang));
        Assert.Contains("'billing'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"was fenced by a newer instance: another instance of this producer id claimed epoch {newer.Epoch}", error.Message, StringComparison.Ordinal);
        Assert.Equal(newer.Epoch, error.CurrentEpoch);
        Assert.Equal(0, older.Epoch);
        Assert.Equal(1, newer.Epoch);

        var messages = await MessagesAsync(stream);
        var fromOlder = messages.Where(m => m.StartsWith('a')).ToList();
        Assert.Equal(Enumerable.Range(0, fromOlder.Count).Select(i => $"a{i}"), fromOlder); // in order, none twice
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"b{i}"), messages.Where(m => m.StartsWith('b')));
        await Assert.ThrowsAsync<StaleProducerEpochException>(() => older.AppendAsync("late;").AsTask());
    }

    [Fact]
    public async Task Two_instances_given_the_same_explicit_epoch_collide_instead_of_dropping_data()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "collide");
        var first = stream.CreateProducer(Billing(o => o.Epoch = 0));
        await AppendAllAsync(first, "a", 3);
        await first.FlushAsync().WaitAsync(TestTimeouts.Hang);

        var second = stream.CreateProducer(Billing(o => o.Epoch = 0));
        // The first batch goes out at once: the failure surfaces in a later append or in the flush.
        var error = await Assert.ThrowsAsync<ProducerEpochCollisionException>(async () =>
        {
            await AppendAllAsync(second, "b", 3);
            await second.FlushAsync().WaitAsync(TestTimeouts.Hang);
        });

        Assert.Equal(("billing", 0L, 0L), (error.ProducerId, error.Epoch, error.Seq));
        Assert.Contains("Another writer uses producer id 'billing' at epoch 0", error.Message, StringComparison.Ordinal);
        Assert.Contains(stream.Url.AbsolutePath, error.Message, StringComparison.Ordinal);
        Assert.Equal(["a0", "a1", "a2"], await MessagesAsync(stream));
        await Assert.ThrowsAsync<ProducerEpochCollisionException>(() => second.AppendAsync("b3;").AsTask());
    }
}
