using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateViewTxIdTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_change_records_its_txid_when_applied()
    {
        var view = new StateView();
        Assert.False(view.HasAppliedTxId("tx-1"));

        view.Apply(Insert("t", "k", "1", txid: "tx-1"));

        Assert.True(view.HasAppliedTxId("tx-1"));
        Assert.False(view.HasAppliedTxId("tx-2"));
    }

    [Fact]
    public void A_txid_in_a_snapshot_counts_only_once_the_snapshot_ends()
    {
        var view = new StateView();
        view.Apply($"[{Control("snapshot-start")},{Insert("t", "k", "1", txid: "tx-s")}]");
        Assert.False(view.HasAppliedTxId("tx-s"));

        view.Apply(Control("snapshot-end"));

        Assert.True(view.HasAppliedTxId("tx-s"));
    }

    [Fact]
    public void A_txid_of_an_abandoned_snapshot_is_never_applied_and_earlier_ones_survive_a_reset()
    {
        var view = new StateView();
        view.Apply(Insert("t", "a", "1", txid: "before"));

        view.Apply($"[{Control("snapshot-start")},{Insert("t", "k", "1", txid: "abandoned")},{Control("reset")}]");

        Assert.False(view.HasAppliedTxId("abandoned"));
        Assert.True(view.HasAppliedTxId("before"));
    }

    [Fact]
    public async Task AwaitTxIdAsync_completes_at_once_for_an_applied_txid()
    {
        var view = new StateView();
        view.Apply(Insert("t", "k", "1", txid: "done"));

        Task wait = view.AwaitTxIdAsync("done", Long);

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
    }

    [Fact]
    public async Task AwaitTxIdAsync_completes_when_the_txid_is_applied()
    {
        var view = new StateView();
        Task wait = view.AwaitTxIdAsync("later", Long);
        view.Apply(Insert("t", "k", "1", txid: "other"));
        Assert.False(wait.IsCompleted);

        view.Apply(Insert("t", "k", "2", txid: "later"));

        await wait.WaitAsync(Long);
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal("2", view.Collection("t")["k"].GetRawText()); // the change is visible once the wait completes
    }

    [Fact]
    public async Task A_wait_for_a_txid_of_an_array_completes_only_once_the_whole_array_is_applied()
    {
        var view = new StateView();
        Task before = view.AwaitTxIdAsync("tx", Long);
        var askedMidway = new List<Task>();
        var completeWhenAsked = new List<bool>();
        view.Changed += (_, e) =>
        {
            // Asked while the array is being applied: seen at that moment (the waiters are released as Apply returns).
            Task wait = view.AwaitTxIdAsync("tx", Long);
            completeWhenAsked.Add(wait.IsCompleted || before.IsCompleted);
            askedMidway.Add(wait);
        };

        view.Apply($"[{Insert("t", "a", "1", txid: "tx")},{Insert("t", "b", "2", txid: "tx")},{Insert("t", "c", "3")}]");

        Assert.Equal([false, false, false], completeWhenAsked); // the txid is applied, the array not yet
        Assert.True(view.HasAppliedTxId("tx"));
        await Task.WhenAll([before, .. askedMidway]).WaitAsync(Long);
        Assert.Equal(["a", "b", "c"], view.Collection("t").Keys.Order(StringComparer.Ordinal));
        Assert.True(view.AwaitTxIdAsync("tx", Long).IsCompletedSuccessfully); // and at once afterwards
    }

    [Fact]
    public async Task A_rejected_message_in_an_array_still_releases_the_waiters_of_what_was_applied_before_it()
    {
        var view = new StateView();
        Task applied = view.AwaitTxIdAsync("applied", Long);
        Task rejected = view.AwaitTxIdAsync("rejected", Long);

        Assert.Throws<StateProtocolException>(() => view.Apply($"[{Insert("t", "a", "1", txid: "applied")},{Delete("t", "missing", txid: "rejected")}]"));

        await applied.WaitAsync(Long);
        Assert.False(rejected.IsCompleted);
        Assert.False(view.HasAppliedTxId("rejected"));
    }

    [Fact]
    public async Task AwaitTxIdAsync_times_out_with_a_timeout_exception_naming_the_txid()
    {
        var view = new StateView();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => view.AwaitTxIdAsync("never", TimeSpan.FromMilliseconds(1)));

        Assert.Contains("never", e.Message);
    }

    [Fact]
    public async Task AwaitTxIdAsync_honours_cancellation()
    {
        var view = new StateView();
        using var cts = new CancellationTokenSource();
        Task wait = view.AwaitTxIdAsync("never", Long, cts.Token);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
