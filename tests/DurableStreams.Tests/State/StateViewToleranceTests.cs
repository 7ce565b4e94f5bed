using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

/// <summary>
/// What the protocol leaves open and the TypeScript package tolerates, the view tolerates too, so both materialise a
/// stream to the same state: unmatched snapshot boundaries always, and deletes of keys it does not hold when told to
/// (<see cref="StateView.IgnoreDeletesOfMissingKeys"/>; by default those are rejected).
/// </summary>
public sealed class StateViewToleranceTests
{
    [Theory]
    [InlineData("user", "missing")]
    [InlineData("nosuchtype", "1")]
    public void With_IgnoreDeletesOfMissingKeys_a_delete_of_a_key_the_view_does_not_hold_changes_nothing_and_its_txid_counts(string type, string key)
    {
        var view = new StateView { IgnoreDeletesOfMissingKeys = true };
        view.Apply(Insert("user", "1", "{'name':'A'}"));
        var seen = Record(view);

        view.Apply(Delete(type, key, txid: "tx-del"));

        Assert.Equal("snapshot=False;user{1={\"name\":\"A\"};}", Fingerprint(view));
        Assert.Empty(seen);
        Assert.True(view.HasAppliedTxId("tx-del"));
    }

    [Fact]
    public void With_IgnoreDeletesOfMissingKeys_a_key_deleted_twice_is_gone_once()
    {
        var view = new StateView { IgnoreDeletesOfMissingKeys = true };
        var seen = Record(view);

        view.Apply($"[{Insert("t", "1", "1")},{Delete("t", "1")},{Delete("t", "1")},{Insert("t", "2", "2")}]");

        Assert.Equal("snapshot=False;t{2=2;}", Fingerprint(view));
        Assert.Equal([StateChangeKind.Inserted, StateChangeKind.Deleted, StateChangeKind.Inserted], seen.SelectMany(e => e.Changes).Select(c => c.Kind));
    }

    [Fact]
    public void With_IgnoreDeletesOfMissingKeys_in_a_snapshot_a_delete_of_a_missing_key_lists_no_change_and_its_txid_counts_at_the_end()
    {
        var view = new StateView { IgnoreDeletesOfMissingKeys = true };
        var seen = Record(view);

        view.Apply($"[{Control("snapshot-start")},{Delete("t", "x", txid: "s1")},{Insert("t", "1", "1")}]");
        Assert.False(view.HasAppliedTxId("s1"));
        view.Apply(Control("snapshot-end"));

        Assert.True(view.HasAppliedTxId("s1"));
        var snapshot = Assert.Single(seen);
        Assert.Equal([("1", StateChangeKind.Inserted)], snapshot.Changes.Select(c => (c.Key, c.Kind)));
    }

    [Fact]
    public void A_second_snapshot_start_continues_the_open_snapshot()
    {
        var view = new StateView();
        view.Apply(Insert("t", "0", "0"));
        var seen = Record(view);

        view.Apply($"[{Control("snapshot-start")},{Insert("t", "1", "1")},{Control("snapshot-start")},{Insert("t", "2", "2")}]");
        Assert.True(view.IsInSnapshot);
        Assert.Equal("snapshot=True;t{0=0;}", Fingerprint(view)); // nothing of it is visible yet
        Assert.Empty(seen);

        view.Apply(Control("snapshot-end"));

        Assert.Equal("snapshot=False;t{0=0;1=1;2=2;}", Fingerprint(view));
        Assert.Equal(["1", "2"], Assert.Single(seen).Changes.Select(c => c.Key));
    }

    [Fact]
    public void A_snapshot_end_with_no_snapshot_open_changes_nothing()
    {
        var view = new StateView();
        view.Apply(Insert("t", "1", "1"));
        var seen = Record(view);

        view.Apply(Control("snapshot-end"));

        Assert.Equal("snapshot=False;t{1=1;}", Fingerprint(view));
        Assert.Empty(seen);
        view.Apply($"[{Control("snapshot-start")},{Insert("t", "2", "2")},{Control("snapshot-end")}]");
        Assert.Equal("snapshot=False;t{1=1;2=2;}", Fingerprint(view));
    }
}
