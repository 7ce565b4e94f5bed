using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateViewSnapshotTests
{
    [Fact]
    public void A_snapshot_becomes_visible_at_once_at_its_end()
    {
        var view = new StateView();
        view.Apply(Insert("user", "0", "'before'"));
        var seen = Record(view);

        view.Apply(Control("snapshot-start"));
        view.Apply(Insert("user", "1", "'a'"));
        view.Apply(Update("user", "0", "'changed'"));

        Assert.True(view.IsInSnapshot);
        Assert.Equal("snapshot=True;user{0=\"before\";}", Fingerprint(view));
        Assert.Empty(seen);

        view.Apply(Control("snapshot-end"));

        Assert.False(view.IsInSnapshot);
        Assert.Equal("snapshot=False;user{0=\"changed\";1=\"a\";}", Fingerprint(view));
        var snapshot = Assert.Single(seen);
        Assert.Equal(StateChangeReason.Snapshot, snapshot.Reason);
        Assert.Equal([("1", StateChangeKind.Inserted), ("0", StateChangeKind.Updated)], snapshot.Changes.Select(c => (c.Key, c.Kind)));
    }

    [Fact]
    public void A_delete_in_a_snapshot_may_remove_what_the_snapshot_inserted()
    {
        var view = new StateView();

        view.Apply($"[{Control("snapshot-start")},{Insert("t", "k", "1")},{Delete("t", "k")},{Control("snapshot-end")}]");

        Assert.Equal("snapshot=False;", Fingerprint(view));
    }

    [Fact]
    public void An_empty_snapshot_is_reported_with_no_changes()
    {
        var view = new StateView();
        var seen = Record(view);

        view.Apply($"[{Control("snapshot-start")},{Control("snapshot-end")}]");

        Assert.Equal(StateChangeReason.Snapshot, Assert.Single(seen).Reason);
        Assert.Empty(seen[0].Changes);
    }

    [Fact]
    public void Reset_clears_the_view_and_reports_every_entity_deleted()
    {
        var view = new StateView();
        view.Apply($"[{Insert("user", "1", "'a'")},{Insert("flag", "x", "true")}]");
        var seen = Record(view);

        view.Apply(Control("reset"));

        Assert.Equal("snapshot=False;", Fingerprint(view));
        var reset = Assert.Single(seen);
        Assert.Equal(StateChangeReason.Reset, reset.Reason);
        Assert.Equal([("flag", "x", "true"), ("user", "1", "\"a\"")],
            reset.Changes.Where(c => c.Kind == StateChangeKind.Deleted).Select(c => (c.Type, c.Key, Raw(c.PreviousValue))).Order());
        Assert.Equal(2, reset.Changes.Count);
    }

    [Fact]
    public void State_after_a_reset_is_built_from_the_messages_after_it()
    {
        var view = new StateView();

        view.Apply($"[{Insert("user", "1", "'old'")},{Control("reset")},{Insert("user", "2", "'new'")}]");

        Assert.Equal("snapshot=False;user{2=\"new\";}", Fingerprint(view));
    }

    [Fact]
    public void Reset_abandons_an_open_snapshot()
    {
        var view = new StateView();
        view.Apply(Insert("user", "1", "'kept until reset'"));

        view.Apply($"[{Control("snapshot-start")},{Insert("user", "2", "'staged'")},{Control("reset")}]");

        Assert.Equal("snapshot=False;", Fingerprint(view));
        // The abandoned snapshot is gone: its end now closes nothing and shows nothing.
        var seen = Record(view);
        view.Apply(Control("snapshot-end"));
        Assert.Equal("snapshot=False;", Fingerprint(view));
        Assert.Empty(seen);
    }

    [Fact]
    public void A_snapshot_can_follow_another()
    {
        var view = new StateView();

        view.Apply($"[{Control("snapshot-start")},{Insert("t", "1", "1")},{Control("snapshot-end")},{Control("snapshot-start")},{Insert("t", "2", "2")},{Control("snapshot-end")}]");

        Assert.Equal("snapshot=False;t{1=1;2=2;}", Fingerprint(view));
    }
}
