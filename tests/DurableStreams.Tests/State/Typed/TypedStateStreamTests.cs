using DurableStreams.State;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Subscriptions;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.State.StateTestSupport;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

/// <summary>A typed state over a real stream; every scenario runs on the reference server and on the embedded one.</summary>
public abstract class TypedStateStreamTests(ISubscriptionServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<PresenceState> NewStateAsync(DurableStreamClient client, string name, DurableStateOptions? options = null)
    {
        var state = PresenceState.For(client, ReferenceServerFixture.NewPath(name), options);
        Assert.True((await state.CreateAsync()).Created);
        return state;
    }

    private static async Task<string> FirstMessageFromAsync(DurableStream stream, Offset offset)
    {
        await using var response = await stream.ReadAsync(new ReadOptions { Offset = offset });
        await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.JsonElement))
            return e.Data.GetRawText();
        return "<none>";
    }

    [Theory]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task Typed_writes_reach_a_live_reader_and_AwaitTxId_completes_when_they_are_visible(LiveMode live)
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, $"typed-live-{live}");
        var reader = PresenceState.For(client, writer.Stream.Url.Segments[^1], new DurableStateOptions { Live = live });
        var users = Record(reader.Users, u => $"{u.Name}/{u.Status}");
        using var stop = new CancellationTokenSource();
        Task run = reader.RunAsync(stop.Token);
        await reader.WhenUpToDate.WaitAsync(Patience);
        Assert.Empty(reader.Users);

        StateWriteResult first = await writer.Users.InsertAsync(new User("u1", "Ada", "online"));
        StateWriteResult tx = await writer.BeginTransaction()
            .Insert(writer.Rooms, new Room(7, "tea"))
            .Update(writer.Users, new User("u1", "Ada", "away"))
            .Upsert(writer.Devices, new Device(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "phone"))
            .CommitAsync();
        await reader.AwaitTxIdAsync(tx.TxId, Patience);

        Assert.True(reader.View.HasAppliedTxId(first.TxId));
        Assert.Equal("user u1=Ada/away;room 7=tea;device 0f8fad5b-d9cb-469f-a165-70867728950e=phone;", Show(reader));
        Assert.Equal(["Change:Inserted u1 Ada/online<--", "Change:Updated u1 Ada/away<-Ada/online"], users);
        Assert.Equal(tx.Offset, reader.Position);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_state_caught_up_once_goes_live_from_where_it_stopped_and_runs_once_at_a_time()
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, "typed-catchup-live");
        await writer.Rooms.InsertAsync(new Room(1, "one"));
        var reader = PresenceState.For(client, writer.Stream.Url.Segments[^1]);
        var rooms = Record(reader.Rooms, r => r.Topic);

        await reader.CatchUpAsync();
        Assert.True(reader.IsUpToDate);
        Assert.True(reader.WhenUpToDate.IsCompletedSuccessfully);
        Offset caughtUp = reader.Position;

        using var stop = new CancellationTokenSource();
        Task run = reader.RunAsync(stop.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.RunAsync());
        StateWriteResult two = await writer.Rooms.InsertAsync(new Room(2, "two"));
        await reader.AwaitTxIdAsync(two.TxId, Patience);

        Assert.Equal(["Change:Inserted 1 one<--", "Change:Inserted 2 two<--"], rooms); // nothing replayed
        Assert.NotEqual(caughtUp, reader.Position);
        Assert.Equal(two.Offset, reader.Position);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Create_is_idempotent_and_Connect_checks_the_stream_exists()
    {
        using var client = server.CreateClient();
        string site = ReferenceServerFixture.NewPath("typed-create");

        await Assert.ThrowsAsync<StreamNotFoundException>(() => PresenceState.ConnectAsync(client, site));
        var state = PresenceState.For(client, site);
        Assert.True((await state.CreateAsync()).Created);
        Assert.False((await state.CreateAsync()).Created);
        var connected = await PresenceState.ConnectAsync(client, site);

        Assert.Equal(state.Stream.Url, connected.Stream.Url);
        Assert.Equal("application/json", (await connected.Stream.HeadAsync()).ContentType);
    }

    [Fact]
    public async Task Resuming_from_a_saved_checkpoint_equals_a_full_replay_and_applies_only_what_came_after()
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, "typed-resume");
        for (int i = 0; i < 5; i++)
            await writer.BeginTransaction().Insert(writer.Rooms, new Room(i, $"r{i}")).Insert(writer.Users, new User($"u{i}", "n", "s")).CommitAsync();
        string site = writer.Stream.Url.Segments[^1];

        var first = PresenceState.For(client, site, new DurableStateOptions { Live = LiveMode.Off });
        await first.RunAsync();
        Assert.True(first.IsUpToDate);
        StateCheckpoint checkpoint = first.TryCreateCheckpoint()!;
        byte[] savedSnapshot = checkpoint.Snapshot.ToUtf8Json();
        string savedOffset = checkpoint.Offset.ToString();

        await writer.Rooms.DeleteAsync(3);
        var stateWriter = new StateWriter(writer.Stream);
        await stateWriter.WriteControlAsync(StateControl.SnapshotStart);
        await writer.Users.UpsertAsync(new User("u9", "late", "s"));
        await stateWriter.WriteControlAsync(StateControl.SnapshotEnd);

        var resumed = PresenceState.For(client, site, new DurableStateOptions
        {
            Checkpoint = new StateCheckpoint(Offset.Parse(savedOffset), StateSnapshot.Parse(savedSnapshot)),
        });
        var rooms = Record(resumed.Rooms, r => r.Topic);
        var users = Record(resumed.Users, u => u.Name);
        Assert.Equal(5, resumed.Rooms.Count);
        await resumed.CatchUpAsync();

        var replayed = PresenceState.For(client, site);
        await replayed.CatchUpAsync();
        Assert.Equal(Show(replayed), Show(resumed));
        Assert.Equal(Fingerprint(replayed.View), Fingerprint(resumed.View));
        Assert.Equal(["Change:Deleted 3 -<-r3", "Snapshot:"], rooms);
        Assert.Equal(["Snapshot:Inserted u9 late<--"], users);
        Assert.Equal(replayed.Position, resumed.Position);
    }

    [Fact]
    public async Task A_value_failing_the_schema_ends_the_run_with_the_typed_error_and_the_state_stays_as_it_was()
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, "typed-schema");
        StateWriteResult good = await writer.Rooms.InsertAsync(new Room(1, "fine"));
        // Another writer (not this typed one) appends a room whose number is not a number, then a valid change.
        await writer.Stream.AppendJsonAsync(Json(Insert("room", "2", "{'number':'two','topic':'x'}")), TestJsonContext.Default.JsonElement);
        StateWriteResult after = await writer.Rooms.InsertAsync(new Room(3, "after"));

        var reader = PresenceState.For(client, writer.Stream.Url.Segments[^1]);
        var error = await Assert.ThrowsAsync<StateProtocolException>(() => reader.CatchUpAsync());

        Assert.Equal((StateErrorReason.SchemaMismatch, "room", "2"), (error.Reason, error.EntityType, error.Key));
        Assert.Equal("room 1=fine;", Show(reader));
        Assert.Equal("snapshot=False;room{1={\"number\":1,\"topic\":\"fine\"};}", Fingerprint(reader.View));
        Assert.NotNull(good.Offset);
        Assert.Contains("\"two\"", await FirstMessageFromAsync(reader.Stream, reader.Position), StringComparison.Ordinal); // resumes at the bad message
        Assert.False(reader.View.HasAppliedTxId(after.TxId));
    }

    [Fact]
    public async Task An_undeclared_type_ends_the_run_unless_ignored()
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, "typed-unknown");
        await new StateWriter(writer.Stream).WriteTransactionAsync("t1", [new ChangeMessage("order", "o1", ChangeOperation.Insert) { Value = Json("1") }]);
        StateWriteResult room = await writer.Rooms.InsertAsync(new Room(1, "r"));
        string site = writer.Stream.Url.Segments[^1];

        var strict = PresenceState.For(client, site);
        var error = await Assert.ThrowsAsync<StateProtocolException>(() => strict.CatchUpAsync());
        Assert.Equal(StateErrorReason.UnknownType, error.Reason);
        Assert.Empty(strict.Rooms);

        var lenient = PresenceState.For(client, site, new DurableStateOptions { IgnoreUnknownTypes = true });
        await lenient.CatchUpAsync();
        Assert.Equal("room 1=r;", Show(lenient));
        Assert.Equal(room.Offset, lenient.Position);
    }

    [Fact]
    public async Task Writes_through_an_idempotent_producer_are_applied_exactly_once_in_order()
    {
        using var client = server.CreateClient();
        var created = await NewStateAsync(client, "typed-producer");
        string site = created.Stream.Url.Segments[^1];
        await using (var writer = PresenceState.For(client, site,
            new DurableStateOptions { Producer = new IdempotentProducerOptions { ProducerId = "typed", AutoClaim = true } }))
        {
            StateWriteResult queued = await writer.Users.InsertAsync(new User("u1", "Ada", "online"));
            Assert.Null(queued.Offset);
            await writer.BeginTransaction().Delete(writer.Users, "u1").Insert(writer.Rooms, new Room(5, "five")).CommitAsync();
            await writer.FlushAsync();
        }

        var reader = PresenceState.For(client, site);
        await reader.CatchUpAsync();
        Assert.Equal("room 5=five;", Show(reader));
    }

    [Fact]
    public async Task A_reset_in_the_stream_clears_every_typed_collection()
    {
        using var client = server.CreateClient();
        var writer = await NewStateAsync(client, "typed-reset");
        await writer.BeginTransaction().Insert(writer.Users, new User("a", "A", "s")).Insert(writer.Rooms, new Room(1, "one")).CommitAsync();
        await new StateWriter(writer.Stream).WriteControlAsync(StateControl.Reset);
        StateWriteResult last = await writer.Rooms.InsertAsync(new Room(2, "two"));

        var reader = PresenceState.For(client, writer.Stream.Url.Segments[^1]);
        var rooms = Record(reader.Rooms, r => r.Topic);
        await reader.CatchUpAsync();

        Assert.Equal("room 2=two;", Show(reader));
        Assert.Equal(["Change:Inserted 1 one<--", "Reset:Deleted 1 -<-one", "Change:Inserted 2 two<--"], rooms);
        Assert.True(reader.View.HasAppliedTxId(last.TxId));
    }
}

public sealed class TypedStateStreamTestsOnReferenceServer(ReferenceServerFixture server)
    : TypedStateStreamTests(server), IClassFixture<ReferenceServerFixture>;

public sealed class TypedStateStreamTestsOnEmbeddedServer(EmbeddedServerFixture server)
    : TypedStateStreamTests(server), IClassFixture<EmbeddedServerFixture>;
