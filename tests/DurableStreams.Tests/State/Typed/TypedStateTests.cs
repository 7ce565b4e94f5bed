using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

public sealed class TypedStateTests
{
    private static readonly Guid DeviceId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void Changes_are_decoded_into_typed_collections_keyed_by_the_typed_key()
    {
        var state = NewState();

        state.View.Apply($"[{Insert("user", "u1", UserJson("u1", "Ada"))},{Insert("room", "7", RoomJson(7, "tea"))}," +
            $"{Insert("device", DeviceId.ToString("D"), $"{{'id':'{DeviceId}','label':'phone'}}")},{Update("user", "u1", UserJson("u1", "Ada", "away"))}," +
            $"{Insert("room", "-3", RoomJson(-3, "basement"))},{Delete("room", "7")}]");

        Assert.Equal($"user u1=Ada/away;room -3=basement;device {DeviceId}=phone;", Show(state));
        Assert.Equal("basement", state.Rooms[-3].Topic);
        Assert.True(state.Devices.ContainsKey(DeviceId));
        Assert.False(state.Rooms.TryGetValue(7, out _));
        Assert.Equal([-3], state.Rooms.Keys);
        Assert.Throws<KeyNotFoundException>(() => state.Users["nobody"]);
        Assert.Equal(("user", "room", "device"), (state.Users.Type, state.Rooms.Type, state.Devices.Type));
    }

    [Fact]
    public void Entities_are_decoded_once_when_applied_not_on_each_read()
    {
        var state = NewState();
        state.View.Apply(Insert("user", "u1", UserJson("u1", "Ada")));

        User first = state.Users["u1"];
        Assert.Same(first, state.Users["u1"]);
        Assert.Same(first, state.Users.Values.Single());
        Assert.Same(first, state.Users.Current["u1"]);

        state.View.Apply(Update("user", "u1", UserJson("u1", "Ada", "away")));
        Assert.NotSame(first, state.Users["u1"]);
        Assert.Equal("online", first.Status); // what was read stays what it was
    }

    [Fact]
    public void Current_is_one_immutable_state_while_the_live_collection_moves_on()
    {
        var state = NewState();
        state.View.Apply(Insert("room", "1", RoomJson(1, "a")));
        var before = state.Rooms.Current;

        state.View.Apply(Insert("room", "2", RoomJson(2, "b")));

        Assert.Single(before);
        Assert.Equal(2, state.Rooms.Count);
    }

    [Fact]
    public void Each_change_notifies_its_collection_with_the_entity_and_the_previous_entity()
    {
        var state = NewState();
        var users = Record(state.Users, u => $"{u.Name}/{u.Status}");
        var rooms = Record(state.Rooms, r => r.Topic);

        state.View.Apply(Insert("user", "u1", UserJson("u1", "Ada")));
        state.View.Apply(Upsert("user", "u1", UserJson("u1", "Ada", "away")));
        state.View.Apply(Delete("user", "u1"));

        Assert.Equal(["Change:Inserted u1 Ada/online<--", "Change:Updated u1 Ada/away<-Ada/online", "Change:Deleted u1 -<-Ada/away"], users);
        Assert.Empty(rooms); // only the collection a change touches is notified
    }

    [Fact]
    public void Typed_handlers_run_after_the_change_is_visible_and_before_the_views_Changed()
    {
        var state = NewState();
        var order = new List<string>();
        state.Users.Changed += (sender, _) =>
        {
            Assert.Same(state, sender);
            order.Add($"typed:{state.Users.Count}:{state.View.Collection("user").Count}");
        };
        state.View.Changed += (_, _) => order.Add("view");

        state.View.Apply(Insert("user", "u1", UserJson("u1", "Ada")));

        Assert.Equal(["typed:1:1", "view"], order);
    }

    [Fact]
    public void A_snapshot_is_staged_and_appears_in_every_collection_at_once_with_one_notification_each()
    {
        var state = NewState();
        state.View.Apply(Insert("room", "1", RoomJson(1, "old")));
        var users = Record(state.Users, u => u.Name);
        var rooms = Record(state.Rooms, r => r.Topic);
        var devices = Record(state.Devices, d => d.Label);

        state.View.Apply(Control("snapshot-start"));
        state.View.Apply(Insert("user", "a", UserJson("a", "A")));
        state.View.Apply(Update("room", "1", RoomJson(1, "new")));
        state.View.Apply(Update("user", "a", UserJson("a", "A2")));
        Assert.Equal("room 1=old;", Show(state)); // staged, out of sight
        Assert.Empty(users.Concat(rooms).Concat(devices));

        state.View.Apply(Control("snapshot-end"));

        Assert.Equal("user a=A2/online;room 1=new;", Show(state));
        Assert.Equal(["Snapshot:Inserted a A<--,Updated a A2<-A"], users);
        Assert.Equal(["Snapshot:Updated 1 new<-old"], rooms);
        Assert.Equal(["Snapshot:"], devices); // a whole-state event reaches every collection
    }

    [Fact]
    public void Reset_clears_every_collection_reports_each_entity_deleted_and_abandons_an_open_snapshot()
    {
        var state = NewState();
        state.View.Apply(Insert("user", "a", UserJson("a", "A")));
        state.View.Apply(Insert("room", "2", RoomJson(2, "two")));
        state.View.Apply(Control("snapshot-start"));
        state.View.Apply(Insert("user", "staged", UserJson("staged", "S")));
        var users = Record(state.Users, u => u.Name);
        var rooms = Record(state.Rooms, r => r.Topic);

        state.View.Apply(Control("reset"));

        Assert.Equal("", Show(state));
        Assert.Equal(["Reset:Deleted a -<-A"], users);
        Assert.Equal(["Reset:Deleted 2 -<-two"], rooms);
        state.View.Apply(Insert("user", "b", UserJson("b", "B")));
        Assert.Equal("user b=B/online;", Show(state)); // not staged any more: the snapshot was abandoned
    }

    [Fact]
    public void A_failing_typed_handler_surfaces_and_the_change_stays_applied()
    {
        var state = NewState();
        state.Users.Changed += (_, _) => throw new InvalidOperationException("handler");

        Assert.Throws<InvalidOperationException>(() => state.View.Apply(Insert("user", "u1", UserJson("u1", "Ada"))));

        Assert.Equal("user u1=Ada/online;", Show(state));
        state.View.Apply(Insert("room", "1", RoomJson(1, "next"))); // nothing stale is re-notified to the next change
        Assert.Equal("user u1=Ada/online;room 1=next;", Show(state));
    }

    [Fact]
    public async Task Readers_on_other_threads_never_see_half_a_snapshot_across_collections()
    {
        var state = NewState();
        using var done = new CancellationTokenSource();
        int torn = 0, reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                // Each snapshot adds one user and one room; a consistent state always has as many of each
                // (Rooms is read first: a newer state between the reads can only have more users).
                int rooms = state.Rooms.Count, users = state.Users.Count;
                if (users < rooms)
                    Interlocked.Increment(ref torn);
                Interlocked.Increment(ref reads);
            }
        });
        while (Volatile.Read(ref reads) == 0)
            await Task.Yield();
        for (int i = 0; i < 300; i++)
        {
            state.View.Apply(Control("snapshot-start"));
            state.View.Apply(Insert("user", $"u{i}", UserJson($"u{i}", "n")));
            state.View.Apply(Insert("room", $"{i}", RoomJson(i, "t")));
            state.View.Apply(Control("snapshot-end"));
        }
        await done.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, torn);
        Assert.Equal((300, 300), (state.Users.Count, state.Rooms.Count));
        Assert.True(reads > 0);
    }

    [Fact]
    public void Registering_a_type_twice_is_refused()
    {
        var twice = Assert.Throws<InvalidOperationException>(() => TwiceState.Create());
        Assert.Contains("twice", twice.Message, StringComparison.Ordinal);
    }

    private sealed class TwiceState : DurableState
    {
        private TwiceState(DurableStream stream) : base(stream, null)
        {
            Register<int, Room>("room", PresenceJson.Default, static r => r.Number);
            Register<int, Room>("room", PresenceJson.Default, static r => r.Number);
        }

        public static TwiceState Create() => new(new DurableStreamClient(new Uri("http://offline.invalid/")).GetStream("x", "application/json"));
    }
}
