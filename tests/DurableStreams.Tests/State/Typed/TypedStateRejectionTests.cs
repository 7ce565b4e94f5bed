using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

/// <summary>Bad input is a typed error and changes nothing: not the view, not the typed collections, no notification.</summary>
public sealed class TypedStateRejectionTests
{
    private static PresenceState Seeded(out List<string> notifications, DurableStateOptions? options = null)
    {
        var state = NewState(options);
        state.View.Apply($"[{Insert("user", "u1", UserJson("u1", "Ada"))},{Insert("room", "1", RoomJson(1, "tea"))}]");
        var seen = new List<string>();
        state.Users.Changed += (_, e) => seen.Add("user");
        state.Rooms.Changed += (_, e) => seen.Add("room");
        state.View.Changed += (_, e) => seen.Add("view");
        notifications = seen;
        return state;
    }

    private static void AssertRejected(string message, StateErrorReason reason, string type, string key)
    {
        var state = Seeded(out var notifications);
        string view = Fingerprint(state.View), typed = Show(state);

        var error = Assert.Throws<StateProtocolException>(() => state.View.Apply(message));

        Assert.Equal((reason, type, key), (error.Reason, error.EntityType, error.Key));
        Assert.Equal(DurableStreamErrorCode.StateMessageRejected, error.Code);
        Assert.Equal(view, Fingerprint(state.View));
        Assert.Equal(typed, Show(state));
        Assert.Empty(notifications);
        Assert.False(state.View.HasAppliedTxId("bad"));
        state.View.Apply(Insert("room", "2", RoomJson(2, "after"))); // the state keeps working
        Assert.Equal(2, state.Rooms.Count);
    }

    [Theory]
    [InlineData("{'number':'seven','topic':'t'}")]   // a field of the wrong JSON type
    [InlineData("'just text'")]                       // not an object
    [InlineData("[1,2]")]
    [InlineData("null")]                              // JSON null is not a Room
    public void A_value_that_does_not_decode_is_a_schema_mismatch(string value) =>
        AssertRejected(Insert("room", "7", value, "bad"), StateErrorReason.SchemaMismatch, "room", "7");

    [Fact]
    public void An_update_of_an_existing_entity_that_does_not_decode_keeps_the_old_entity() =>
        AssertRejected(Update("room", "1", "{'number':1,'topic':42}", "bad"), StateErrorReason.SchemaMismatch, "room", "1");

    [Theory]
    [InlineData("room", "seven")]
    [InlineData("room", "07")]        // not canonical: would alias key 7
    [InlineData("room", "+7")]
    [InlineData("room", "99999999999")] // out of int's range
    [InlineData("device", "0F8FAD5B-D9CB-469F-A165-70867728950E")] // a Guid not in lower-case "D" form
    [InlineData("device", "0f8fad5bd9cb469fa16570867728950e")]
    public void A_key_that_is_not_the_canonical_text_of_the_key_type_is_an_invalid_key(string type, string key) =>
        AssertRejected(Insert(type, key, type == "room" ? RoomJson(7, "t") : "{'id':'0f8fad5b-d9cb-469f-a165-70867728950e','label':'x'}", "bad"),
            StateErrorReason.InvalidKey, type, key);

    [Theory]
    [InlineData("u2", "{'id':'u3','name':'n','status':'s'}")]
    [InlineData("u2", "{'name':'n','status':'s'}")] // the key property missing: decoded as null
    public void An_entity_whose_key_disagrees_with_the_message_key_is_a_key_mismatch(string key, string value) =>
        AssertRejected(Insert("user", key, value, "bad"), StateErrorReason.KeyMismatch, "user", key);

    [Fact]
    public void A_change_of_an_undeclared_type_is_an_unknown_type() =>
        AssertRejected(Insert("order", "o1", "{'total':3}", "bad"), StateErrorReason.UnknownType, "order", "o1");

    [Fact]
    public void A_delete_of_a_missing_key_is_a_missing_key() =>
        AssertRejected(Delete("room", "9", "bad"), StateErrorReason.MissingKey, "room", "9");

    [Fact]
    public void With_IgnoreDeletesOfMissingKeys_a_delete_of_a_missing_key_changes_nothing_as_in_the_view()
    {
        var state = Seeded(out var notifications, new DurableStateOptions { IgnoreDeletesOfMissingKeys = true });
        string view = Fingerprint(state.View), typed = Show(state);

        state.View.Apply(Delete("room", "9", "del"));

        Assert.Equal(view, Fingerprint(state.View));
        Assert.Equal(typed, Show(state));
        Assert.Empty(notifications);
        Assert.True(state.View.HasAppliedTxId("del"));
    }

    [Fact]
    public void With_IgnoreUnknownTypes_an_undeclared_type_stays_in_the_view_only()
    {
        var state = NewState(new DurableStateOptions { IgnoreUnknownTypes = true });

        state.View.Apply($"[{Insert("order", "o1", "{'total':3}")},{Insert("user", "u1", UserJson("u1", "Ada"))},{Delete("order", "o1")},{Insert("order", "o2", "1")}]");

        Assert.Equal("user u1=Ada/online;", Show(state));
        Assert.Equal(["o2"], state.View.Collection("order").Keys);
    }

    [Fact]
    public void A_rejected_change_inside_a_snapshot_leaves_the_staged_snapshot_intact()
    {
        var state = NewState();
        state.View.Apply(Control("snapshot-start"));
        state.View.Apply(Insert("room", "1", RoomJson(1, "staged")));

        Assert.Throws<StateProtocolException>(() => state.View.Apply(Insert("room", "2", "{'topic':false}")));
        state.View.Apply(Control("snapshot-end"));

        Assert.Equal("room 1=staged;", Show(state));
        Assert.Equal("snapshot=False;room{1={\"number\":1,\"topic\":\"staged\"};}", Fingerprint(state.View));
    }

    [Fact]
    public void In_an_array_the_messages_before_the_rejected_one_stay_applied_and_the_rest_are_not()
    {
        var state = NewState();

        var error = Assert.Throws<StateProtocolException>(() => state.View.Apply(
            $"[{Insert("room", "1", RoomJson(1, "a"))},{Insert("room", "2", RoomJson(3, "wrong key"))},{Insert("room", "4", RoomJson(4, "b"))}]"));

        Assert.Equal((1, StateErrorReason.KeyMismatch), (error.MessageIndex, error.Reason));
        Assert.Equal("room 1=a;", Show(state));
        Assert.Equal("snapshot=False;room{1={\"number\":1,\"topic\":\"a\"};}", Fingerprint(state.View));
    }

    [Fact]
    public void A_checkpoint_holding_an_entity_that_does_not_decode_is_refused_when_the_state_is_built()
    {
        var source = new StateView();
        source.Apply(Insert("room", "1", "{'number':'one'}"));
        var checkpoint = new StateCheckpoint(Offset.Beginning, source.CreateSnapshot());

        var error = Assert.Throws<StateProtocolException>(() => NewState(new DurableStateOptions { Checkpoint = checkpoint }));

        Assert.Equal((StateErrorReason.SchemaMismatch, "room", "1"), (error.Reason, error.EntityType, error.Key));
    }

    [Fact]
    public async Task A_checkpoint_holding_an_undeclared_type_is_refused_before_reading_unless_ignored()
    {
        var source = new StateView();
        source.Apply(Insert("order", "o1", "1"));
        var checkpoint = new StateCheckpoint(Offset.Beginning, source.CreateSnapshot());

        var strict = NewState(new DurableStateOptions { Checkpoint = checkpoint });
        var error = await Assert.ThrowsAsync<StateProtocolException>(() => strict.CatchUpAsync()); // before any request (the client is offline)
        Assert.Equal((StateErrorReason.UnknownType, "order"), (error.Reason, error.EntityType));

        var lenient = NewState(new DurableStateOptions { Checkpoint = checkpoint, IgnoreUnknownTypes = true });
        Assert.Equal(["o1"], lenient.View.Collection("order").Keys);
    }
}
