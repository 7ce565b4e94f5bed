using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateViewConcurrencyTests
{
    [Fact]
    public async Task A_reader_on_another_thread_never_sees_half_a_snapshot()
    {
        var view = new StateView();
        StateCollection pairs = view.Collection("pair");
        using var stop = new CancellationTokenSource();
        int torn = 0, reads = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Each snapshot writes keys a<n> and b<n> together; a consistent state holds both or neither.
                var keys = pairs.Keys.ToHashSet();
                foreach (string key in keys)
                    if (!keys.Contains((key[0] == 'a' ? "b" : "a") + key[1..]))
                        Interlocked.Increment(ref torn);
                Interlocked.Increment(ref reads);
                started.TrySetResult();
            }
        });

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        int n = 0;
        // Keep writing until the reader has looked many times while snapshots were being applied.
        for (int readsAtStart = Volatile.Read(ref reads); n < 2_000 || (Volatile.Read(ref reads) - readsAtStart < 200 && n < 200_000); n++)
            view.Apply($"[{Control("snapshot-start")},{Insert("pair", $"a{n}", "1")},{Insert("pair", $"b{n}", "1")},{Control("snapshot-end")}]");
        stop.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, torn);
        Assert.Equal(2 * n, pairs.Count);
    }

    [Fact]
    public void A_failing_change_handler_surfaces_to_the_caller_and_the_change_stays_applied()
    {
        var view = new StateView();
        view.Changed += (_, _) => throw new InvalidOperationException("handler failed");

        var e = Assert.Throws<InvalidOperationException>(() => view.Apply(Insert("t", "k", "1", txid: "tx")));

        Assert.Equal("handler failed", e.Message);
        Assert.True(view.TryGetValue("t", "k", out _));
        Assert.True(view.HasAppliedTxId("tx"));
    }
}
