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
