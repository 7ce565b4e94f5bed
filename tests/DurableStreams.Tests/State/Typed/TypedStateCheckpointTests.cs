using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

public sealed class TypedStateCheckpointTests
{
    [Fact]
    public void A_state_resumed_from_a_saved_checkpoint_has_the_decoded_entities_txids_and_offset()
    {
        var state = NewState();
        state.View.Apply($"[{Insert("user", "u1", UserJson("u1", "Ada"), "t1")},{Insert("room", "5", RoomJson(5, "five"), "t2")}]");
        StateCheckpoint taken = state.TryCreateCheckpoint()!;
        // Saved as an application would: the offset as text, the snapshot as JSON bytes.
        var saved = new StateCheckpoint(Offset.Parse("0000_0042,3"), StateSnapshot.Parse(taken.Snapshot.ToUtf8Json()));

        var resumed = NewState(new DurableStateOptions { Checkpoint = saved });

        Assert.Equal(Show(state), Show(resumed));
        Assert.Equal("five", resumed.Rooms[5].Topic);
        Assert.True(resumed.View.HasAppliedTxId("t1") && resumed.View.HasAppliedTxId("t2"));
        Assert.Equal(Offset.Parse("0000_0042,3"), resumed.Position);
        Assert.Equal(Fingerprint(state.View), Fingerprint(resumed.View));
    }

    [Fact]
    public void A_resumed_state_applies_later_changes_on_top_with_the_right_previous_entities()
    {
        var state = NewState();
        state.View.Apply(Insert("user", "u1", UserJson("u1", "Ada")));
        var resumed = NewState(new DurableStateOptions { Checkpoint = state.TryCreateCheckpoint() });
        var users = Record(resumed.Users, u => u.Status);

        resumed.View.Apply(Update("user", "u1", UserJson("u1", "Ada", "away")));
        resumed.View.Apply(Delete("user", "u1"));

        Assert.Equal(["Change:Updated u1 away<-online", "Change:Deleted u1 -<-away"], users);
    }

    [Fact]
    public void No_checkpoint_while_a_snapshot_is_open_in_the_stream()
    {
        var state = NewState();
        state.View.Apply(Control("snapshot-start"));
        state.View.Apply(Insert("room", "1", RoomJson(1, "staged")));
        Assert.Null(state.TryCreateCheckpoint());

        state.View.Apply(Control("snapshot-end"));
        var checkpoint = state.TryCreateCheckpoint();
        Assert.NotNull(checkpoint);
        Assert.Equal(["1"], checkpoint.Snapshot.Entities["room"].Keys);
    }

    [Fact]
    public void A_checkpoint_taken_in_a_typed_handler_includes_the_change_being_notified()
    {
        var state = NewState();
        var checkpoints = new List<StateCheckpoint>();
        state.Rooms.Changed += (_, _) => checkpoints.Add(state.TryCreateCheckpoint()!);

        state.View.Apply($"[{Insert("room", "1", RoomJson(1, "a"))},{Insert("room", "2", RoomJson(2, "b"))}]");

        Assert.Equal([1, 2], checkpoints.Select(c => c.Snapshot.Entities["room"].Count));
    }
}
