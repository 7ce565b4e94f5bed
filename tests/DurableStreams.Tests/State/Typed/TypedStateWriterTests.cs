using System.Text.Json;
using DurableStreams.State;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

/// <summary>The typed writers and transactions, against a recording fake server.</summary>
public sealed class TypedStateWriterTests
{
    private static List<ChangeMessage> Posted(FakeClient fake, int post = 0)
    {
        using var doc = JsonDocument.Parse(fake.Handler.Posts[post].Body);
        return [.. doc.RootElement.EnumerateArray().Select(e => Assert.IsType<ChangeMessage>(StateMessage.Parse(e)))];
    }

    [Fact]
    public async Task Each_typed_writer_sends_one_transaction_with_a_fresh_txid_and_returns_it_with_the_offset()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "w");

        StateWriteResult inserted = await state.Users.InsertAsync(new User("u1", "Ada", "online"));
        StateWriteResult updated = await state.Rooms.UpdateAsync(new Room(7, "tea"));
        StateWriteResult upserted = await state.Devices.UpsertAsync(new Device(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "phone"));
        StateWriteResult deleted = await state.Rooms.DeleteAsync(7);

        Assert.Equal(4, fake.Handler.Posts.Count);
        Assert.Equal(4, new[] { inserted.TxId, updated.TxId, upserted.TxId, deleted.TxId }.Distinct().Count());
        Assert.Equal(Offset.Parse("0000_0000"), inserted.Offset);
        var insert = Assert.Single(Posted(fake, 0));
        Assert.Equal(("user", "u1", ChangeOperation.Insert, inserted.TxId), (insert.Type, insert.Key, insert.Operation, insert.TxId));
        Assert.Equal("{\"id\":\"u1\",\"name\":\"Ada\",\"status\":\"online\"}", insert.Value.GetRawText());
        Assert.NotNull(insert.Timestamp);
        Assert.Equal(("room", "7", ChangeOperation.Update), Single(fake, 1));
        Assert.Equal(("device", "0f8fad5b-d9cb-469f-a165-70867728950e", ChangeOperation.Upsert), Single(fake, 2));
        var delete = Assert.Single(Posted(fake, 3));
        Assert.Equal(("room", "7", ChangeOperation.Delete, JsonValueKind.Undefined), (delete.Type, delete.Key, delete.Operation, delete.Value.ValueKind));
        Assert.Contains("/presence/w", fake.Handler.Posts[0].Uri.AbsolutePath, StringComparison.Ordinal);
    }

    private static (string, string, ChangeOperation) Single(FakeClient fake, int post)
    {
        var change = Assert.Single(Posted(fake, post));
        return (change.Type, change.Key, change.Operation);
    }

    [Fact]
    public async Task Each_typed_writer_takes_a_given_txid()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "given");

        var results = new[]
        {
            await state.Users.InsertAsync(new User("u1", "Ada", "online"), "t-insert"),
            await state.Users.UpdateAsync(new User("u1", "Ada", "away"), "t-update"),
            await state.Rooms.UpsertAsync(new Room(1, "one"), "t-upsert"),
            await state.Rooms.DeleteAsync(1, "t-delete"),
        };

        Assert.Equal(["t-insert", "t-update", "t-upsert", "t-delete"], results.Select(r => r.TxId));
        Assert.Equal(["user/u1/Insert/t-insert", "user/u1/Update/t-update", "room/1/Upsert/t-upsert", "room/1/Delete/t-delete"],
            Enumerable.Range(0, 4).Select(i => Assert.Single(Posted(fake, i))).Select(c => $"{c.Type}/{c.Key}/{c.Operation}/{c.TxId}"));
        await Assert.ThrowsAsync<ArgumentException>(() => state.Rooms.DeleteAsync(2, ""));
        Assert.Equal(4, fake.Handler.Posts.Count);
    }

    [Fact]
    public async Task A_transaction_across_collections_goes_out_in_one_append_in_order_with_one_txid()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "tx");

        var tx = state.BeginTransaction("tx-42")
            .Insert(state.Users, new User("u1", "Ada", "online"))
            .Delete(state.Rooms, 7)
            .Upsert(state.Rooms, new Room(8, "eight"))
            .Update(state.Users, new User("u1", "Ada", "away"));
        Assert.Equal(4, tx.Count);
        Assert.Empty(fake.Handler.Requests); // nothing is sent before the commit
        StateWriteResult result = await tx.CommitAsync();

        Assert.Equal("tx-42", result.TxId);
        var changes = Posted(fake);
        Assert.Single(fake.Handler.Posts);
        Assert.Equal(["user/u1/Insert", "room/7/Delete", "room/8/Upsert", "user/u1/Update"], changes.Select(c => $"{c.Type}/{c.Key}/{c.Operation}"));
        Assert.All(changes, c => Assert.Equal("tx-42", c.TxId));
        await Assert.ThrowsAsync<InvalidOperationException>(() => tx.CommitAsync());
        Assert.Throws<InvalidOperationException>(() => tx.Delete(state.Rooms, 1));
        Assert.Single(fake.Handler.Posts);
    }

    [Fact]
    public async Task A_generated_txid_is_unique_per_transaction()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "ids");
        string a = state.BeginTransaction().TxId, b = state.BeginTransaction().TxId;
        Assert.NotEqual(a, b);
        Assert.True(Guid.TryParseExact(a, "D", out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => state.BeginTransaction().CommitAsync()); // an empty transaction
        Assert.Throws<ArgumentException>(() => state.BeginTransaction(""));
    }

    [Fact]
    public async Task An_entity_without_a_key_is_refused_before_any_request()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "bad");

        await Assert.ThrowsAsync<ArgumentException>(() => state.Users.InsertAsync(new User("", "Ada", "online")));
        await Assert.ThrowsAsync<ArgumentException>(() => state.Users.UpsertAsync(new User(null!, "Ada", "online")));
        await Assert.ThrowsAsync<ArgumentException>(() => state.Users.DeleteAsync(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => state.Rooms.InsertAsync(null!));
        var tx = state.BeginTransaction().Insert(state.Rooms, new Room(1, "fine"));
        Assert.Throws<ArgumentException>(() => tx.Insert(state.Users, new User("", "x", "y")));
        Assert.Equal(1, tx.Count); // the refused change was not added

        Assert.Empty(fake.Handler.Requests);
    }

    [Fact]
    public async Task A_collection_of_another_state_is_refused()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "one");
        var other = PresenceState.For(fake.Client, "two");

        Assert.Throws<ArgumentException>(() => state.BeginTransaction().Insert(other.Rooms, new Room(1, "x")));
        Assert.Empty(fake.Handler.Requests);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Writing_changes_nothing_locally_until_the_change_is_read_back()
    {
        using var fake = RecordingClient();
        var state = PresenceState.For(fake.Client, "local");

        await state.Rooms.InsertAsync(new Room(1, "x"));

        Assert.Empty(state.Rooms); // the state is what the stream says, once read
    }
}
