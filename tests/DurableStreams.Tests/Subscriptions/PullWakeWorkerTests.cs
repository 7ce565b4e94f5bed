using DurableStreams.Subscriptions;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>Pull-wake workers against the reference server: wakes, claims, acks, sharing, failures and a killed worker.</summary>
public abstract class PullWakeWorkerTests(ISubscriptionServer fixture)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_hands_over_every_message_of_glob_and_explicit_streams_in_order_and_acks_them_to_the_tail()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000, explicitStreams: ["manual/x"]);
        var y = await client.CreateStreamAsync($"{setup.Prefix}/manual/y", new CreateStreamOptions { ContentType = "application/json" });
        await y.AppendJsonAsync(new Numbered(-1), TestJsonContext.Default.Numbered); // history before linking: never handed over
        await new SubscriptionClient(client).AddStreamsAsync(setup.Id, [$"{setup.Prefix}/manual/y"]);
        var recorder = new Recorder(30);
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder), setup.Options("w1"));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        var b = await client.CreateStreamAsync(setup.Events("b"), new CreateStreamOptions { ContentType = "application/json" }); // found by the glob on its first append
        var x = await client.CreateStreamAsync($"{setup.Prefix}/manual/x", new CreateStreamOptions { ContentType = "application/json" }); // named before it existed
        for (var i = 0; i < 10; i++)
        {
            await b.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
            await x.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
            await y.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        }
        await recorder.AllSeen.WaitAsync(Hang);
        var subscription = await WaitForAckedAsync(new SubscriptionClient(client), setup.Id, [b, x, y]);
        await stop.CancelAsync();
        await run.WaitAsync(Hang);

        foreach (var path in new[] { setup.Events("b"), $"{setup.Prefix}/manual/x", $"{setup.Prefix}/manual/y" })
            Assert.Equal(Enumerable.Range(0, 10), recorder.Handled.Where(h => h.Stream == path).Select(h => h.N));
        Assert.Equal(30, recorder.Handled.Count);
        Assert.All(recorder.Handled, h => Assert.Equal(1, h.Attempt));
        Assert.Equal(3, subscription.Streams.Count);
    }

    [Fact]
    public async Task Three_workers_share_a_subscription_and_every_message_is_handled_exactly_once_one_lease_at_a_time()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        const int streams = 4, perStream = 30;
        var recorder = new Recorder(streams * perStream);
        using var stop = new CancellationTokenSource();
        var runs = Enumerable.Range(1, 3).Select(i => new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler($"w{i}", recorder), setup.Options($"w{i}")).RunAsync(stop.Token)).ToArray();

        var paths = Enumerable.Range(0, streams).Select(s => setup.Events($"s{s}")).ToArray();
        var targets = new List<DurableStream>();
        foreach (var path in paths)
            targets.Add(await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }));
        for (var i = 0; i < perStream; i++)
            foreach (var target in targets)
                await target.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        await recorder.AllSeen.WaitAsync(Hang);
        await WaitForAckedAsync(new SubscriptionClient(client), setup.Id, targets);
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(Hang);

        var handled = recorder.Handled;
        Assert.Equal(streams * perStream, handled.Count); // each exactly once: the leases never lapsed here
        foreach (var path in paths)
            Assert.Equal(Enumerable.Range(0, perStream), handled.Where(h => h.Stream == path).Select(h => h.N));
        Assert.Equal(1, recorder.MaxConcurrentHandlers);
    }

    [Fact]
    public async Task A_worker_killed_mid_lease_loses_it_when_it_expires_and_another_worker_finishes_without_losing_a_message()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, leaseTtlMs: 2000);
        // Short leases, so the dead worker's expires soon; frequent heartbeats, so a live worker's survives a stalled one.
        PullWakeWorkerOptions Beating(string worker)
        {
            var options = setup.Options(worker);
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            return options;
        }
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 20; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);

        var recorder = new Recorder(20);
        var kill = new KillSwitchHandler();
        var killedOnTen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var doomedOptions = new DurableStreamClientOptions { BaseAddress = fixture.StreamBase };
        doomedOptions.Retry.InitialDelay = TimeSpan.FromMilliseconds(10);
        doomedOptions.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        using var doomedClient = new DurableStreamClient(new HttpClient(kill), doomedOptions);
        var doomed = new PullWakeWorker<Numbered>(new SubscriptionClient(doomedClient), TestJsonContext.Default.Numbered,
            new RecordingHandler("doomed", recorder, async (message, token) =>
            {
                if (message.Data.N != 10) return;
                kill.Kill(); // the process "dies": no more acks, no release
                killedOnTen.TrySetResult();
                await Task.Delay(Timeout.Infinite, token); // hangs until the worker itself sees the lease is gone
            }), Beating("doomed"));
        var doomedOutcome = doomed.ProcessOnceAsync();
        await killedOnTen.Task.WaitAsync(Hang);

        using var stop = new CancellationTokenSource();
        var survivor = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("survivor", recorder), Beating("survivor")).RunAsync(stop.Token);
        await recorder.AllSeen.WaitAsync(Hang);
        await WaitForAckedAsync(new SubscriptionClient(client), setup.Id, [events]);
        await stop.CancelAsync();
        await survivor.WaitAsync(Hang);

        Assert.Equal(PullWakeOutcome.LeaseLost, await doomedOutcome.WaitAsync(Hang));
        var bySurvivor = recorder.Handled.Where(h => h.Worker == "survivor").Select(h => h.N).ToList();
        Assert.Equal(bySurvivor.Distinct(), bySurvivor); // once each while it held the lease
        Assert.Contains(10, bySurvivor); // the message the dead worker held is not lost
        Assert.Equal(Enumerable.Range(0, 20), recorder.Handled.Select(h => h.N).Distinct().Order());
        Assert.DoesNotContain(recorder.Handled, h => h.Worker == "doomed" && h.N > 10);
    }

    [Fact]
    public async Task A_failing_handler_is_retried_then_the_wake_is_released_and_a_later_wake_delivers_the_message_again()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        var recorder = new Recorder(5);
        var failures = 0;
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", recorder, (message, _) =>
                message.Data.N == 2 && Interlocked.Increment(ref failures) <= 4 ? throw new InvalidOperationException("boom") : Task.CompletedTask),
            setup.Options("w1"));
        for (var i = 0; i < 5; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);

        var first = await worker.ProcessOnceAsync();
        var attemptsSeen = failures;
        var second = await worker.ProcessOnceAsync();
        var acked = (await new SubscriptionClient(client).GetAsync(setup.Id))!.Streams.Single().AckedOffset;

        Assert.Equal(PullWakeOutcome.Failed, first); // 3 attempts (MaxAttempts) then released
        Assert.Equal(3, attemptsSeen);
        Assert.Equal(PullWakeOutcome.Completed, second); // attempt 4 fails, 5 succeeds
        Assert.Equal([2], recorder.Handled.Where(h => h.N == 2).Select(h => h.Attempt)); // recorded only when it succeeds
        Assert.Equal(Enumerable.Range(0, 5), recorder.Handled.Select(h => h.N).Distinct().Order());
        Assert.Equal((await events.HeadAsync()).Offset, acked);
    }

    [Fact]
    public async Task The_heartbeat_keeps_the_lease_through_a_handler_that_runs_longer_than_the_lease()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, leaseTtlMs: 3000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 3; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var subscriptions = new SubscriptionClient(client);
        var options = setup.Options("slow");
        // Beats often: a loaded machine may stall a heartbeat for a second or two, and the lease must still be renewed in time.
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        var intruders = new List<Exception>();
        var recorder = new Recorder(3);
        var worker = new PullWakeWorker<Numbered>(subscriptions, TestJsonContext.Default.Numbered,
            new RecordingHandler("slow", recorder, async (message, token) =>
            {
                if (message.Data.N != 0) return;
                for (var round = 0; round < 2; round++)
                {
                    await Task.Delay(3500, token); // past the lease length each time
                    intruders.Add(await Assert.ThrowsAnyAsync<SubscriptionException>(() => subscriptions.ClaimAsync(setup.Id, "intruder")));
                }
            }), options);

        var outcome = await worker.ProcessOnceAsync().WaitAsync(Hang);

        Assert.Equal(PullWakeOutcome.Completed, outcome);
        Assert.All(intruders, e => Assert.Equal("slow", Assert.IsType<SubscriptionAlreadyClaimedException>(e).CurrentHolder));
        Assert.Equal(2, intruders.Count);
        Assert.Equal([0, 1, 2], recorder.Handled.Select(h => h.N));
    }

    [Fact]
    public async Task Stopping_a_worker_mid_wake_cancels_the_handler_and_releases_the_lease_for_the_next_worker()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, leaseTtlMs: 60_000);
        var events = await client.CreateStreamAsync(setup.Events("a"), new CreateStreamOptions { ContentType = "application/json" });
        for (var i = 0; i < 10; i++) await events.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered);
        var recorder = new Recorder(10);
        using var stop = new CancellationTokenSource();
        var handlerCancelled = false;
        var first = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("first", recorder, async (message, token) =>
            {
                if (message.Data.N != 5) return;
                await stop.CancelAsync(); // shutdown while this message is in flight
                try { await Task.Delay(Timeout.Infinite, token); }
                catch (OperationCanceledException) { handlerCancelled = true; throw; }
            }), setup.Options("first"));

        var outcome = await first.ProcessOnceAsync(stop.Token).WaitAsync(Hang);
        // The lease lasts a minute: only a release lets the next worker in now.
        var second = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("second", recorder), setup.Options("second"));
        var next = await second.ProcessOnceAsync().WaitAsync(Hang);

        Assert.Equal(PullWakeOutcome.Stopped, outcome);
        Assert.True(handlerCancelled);
        Assert.Equal(PullWakeOutcome.Completed, next);
        Assert.DoesNotContain(recorder.Handled, h => h.Worker == "first" && h.N >= 5);
        Assert.Equal(Enumerable.Range(0, 10), recorder.Handled.Select(h => h.N).Distinct().Order());
        Assert.Contains(recorder.Handled, h => h.Worker == "second" && h.N == 5);
    }

    [Fact]
    public async Task A_claim_that_fails_for_good_is_logged_and_the_running_worker_keeps_trying()
    {
        using var client = fixture.CreateClient();
        var setup = await SubscriptionSetup.CreateAsync(client, 30_000);
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var options = setup.Options("w1");
        options.SubscriptionId = ReferenceServerFixture.NewPath("missing"); // never created: every claim is a 404
        options.WakeStream = setup.WakeStream;
        var worker = new PullWakeWorker<Numbered>(new SubscriptionClient(client), TestJsonContext.Default.Numbered,
            new RecordingHandler("w1", new Recorder(1)), options, logger);
        using var stop = new CancellationTokenSource();

        var run = worker.RunAsync(stop.Token);
        await Task.Run(async () =>
        {
            while (logger.Collector.GetSnapshot().Count(r => r.Id.Id == 411) < 2) await Task.Delay(20);
        }).WaitAsync(Hang); // two failed claims, a FailureBackoff apart
        var stillRunning = !run.IsCompleted;
        await stop.CancelAsync();
        await run.WaitAsync(Hang);

        Assert.True(stillRunning);
        Assert.IsType<SubscriptionNotFoundException>(logger.Collector.GetSnapshot().First(r => r.Id.Id == 411).Exception);
    }

    private static async Task<Subscription> WaitForAckedAsync(SubscriptionClient subscriptions, string id, IReadOnlyList<DurableStream> streams)
    {
        // The done-ack lands just after the last handler returns: wait (bounded) until every cursor is at its tail.
        var deadline = DateTime.UtcNow + Hang;
        while (true)
        {
            var subscription = (await subscriptions.GetAsync(id))!;
            var tails = new List<Offset?>();
            foreach (var stream in streams) tails.Add((await stream.HeadAsync()).Offset);
            if (tails.All(t => subscription.Streams.Any(s => s.AckedOffset == t))) return subscription;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The subscription's cursors never reached the tails.");
            await Task.Delay(50);
        }
    }
}
