using System.Text;
using DurableStreams.State;
using DurableStreams.Tests.State;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.Integration;

/// <summary>StateWriter and StateReader through a real stream on the reference server.</summary>
public sealed class StateStreamTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static ChangeMessage Put(string type, string key, string value, ChangeOperation op = ChangeOperation.Insert) =>
        new(type, key, op) { Value = Json(value) };

    private async Task<DurableStream> NewStreamAsync(DurableStreamClient client, string name) =>
        await client.CreateStreamAsync(ReferenceServerFixture.NewPath(name), new CreateStreamOptions { ContentType = "application/json" });

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
    public async Task A_written_transaction_completes_AwaitTxId_on_a_live_reader(LiveMode live)
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, $"state-live-{live}");
        var view = new StateView();
        var reader = new StateReader(stream, view, live: live);
        using var stop = new CancellationTokenSource();
        var run = reader.RunAsync(stop.Token);
        await reader.WhenUpToDate.WaitAsync(Patience);
        Assert.Empty(view.Types);

        var writer = new StateWriter(client.GetStream(stream.Url.ToString(), "application/json"));
        Offset? end = await writer.WriteTransactionAsync("tx-1", [Put("user", "1", "{'name':'ada'}"), Put("user", "2", "{'name':'bob'}")]);
        await view.AwaitTxIdAsync("tx-1", Patience);

        Assert.Equal(["1", "2"], view.Collection("user").Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ada", view.Collection("user")["1"].GetProperty("name").GetString());
        Assert.Equal(end, reader.Position);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Theory]
    [InlineData(LiveMode.LongPoll)]
    [InlineData(LiveMode.Sse)]
    public async Task AwaitTxId_on_a_live_reader_waits_for_the_whole_delivery_and_its_position(LiveMode live)
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, $"state-live-whole-{live}");
        var view = new StateView();
        var reader = new StateReader(stream, view, live: live);
        var completeWhenAsked = new List<bool>();
        view.Changed += (_, _) => completeWhenAsked.Add(view.AwaitTxIdAsync("tx-1", Patience).IsCompleted); // on the reader's thread, mid-delivery
        using var stop = new CancellationTokenSource();
        var run = reader.RunAsync(stop.Token);
        await reader.WhenUpToDate.WaitAsync(Patience);

        Offset? end = await new StateWriter(stream).WriteTransactionAsync("tx-1",
            [Put("user", "1", "{'name':'ada'}"), Put("user", "2", "{'name':'bob'}"), Put("user", "3", "{'name':'cy'}")]);
        await view.AwaitTxIdAsync("tx-1", Patience);

        Assert.Equal(end, reader.Position); // the reader's position is after the whole transaction
        Assert.Equal(["1", "2", "3"], view.Collection("user").Keys.Order(StringComparer.Ordinal));
        Assert.Equal([false, false, false], completeWhenAsked); // the txid was applied at the first change, the delivery not yet
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Snapshot_boundaries_and_reset_through_a_real_stream()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-snapshot");
        var writer = new StateWriter(stream);
        var view = new StateView();
        await writer.WriteTransactionAsync("t0", [Put("user", "a", "1")]);
        await writer.WriteControlAsync(StateControl.SnapshotStart);
        await writer.WriteTransactionAsync("t1", [Put("user", "b", "2"), Put("user", "a", "3", ChangeOperation.Update)]);

        var first = new StateReader(stream, view, live: LiveMode.Off);
        await first.RunAsync();
        Assert.True(view.IsInSnapshot);
        Assert.Equal("snapshot=True;user{a=1;}", Fingerprint(view)); // the staged snapshot is not visible yet
        Assert.False(view.HasAppliedTxId("t1"));
        Assert.Null(first.TryCreateCheckpoint());

        await writer.WriteControlAsync(StateControl.SnapshotEnd);
        var second = new StateReader(stream, view, first.Position, LiveMode.Off);
        await second.RunAsync();
        Assert.Equal("snapshot=False;user{a=3;b=2;}", Fingerprint(view));
        Assert.True(view.HasAppliedTxId("t1"));
        Assert.NotNull(second.TryCreateCheckpoint());

        await writer.WriteControlAsync(StateControl.Reset);
        await writer.WriteTransactionAsync("t2", [Put("item", "x", "true")]);
        var third = new StateReader(stream, view, second.Position, LiveMode.Off);
        await third.RunAsync();
        Assert.Equal("snapshot=False;item{x=true;}", Fingerprint(view));
        Assert.True(view.HasAppliedTxId("t0")); // applied transaction ids survive a reset
        Assert.True(third.IsUpToDate);
    }

    [Fact]
    public async Task Resuming_from_a_saved_offset_and_snapshot_equals_a_full_replay_without_replaying()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-resume");
        var writer = new StateWriter(stream);
        for (int i = 0; i < 10; i++)
            await writer.WriteTransactionAsync($"a{i}", [Put("user", $"{i}", $"{{'n':{i}}}"), Put("order", $"o{i}", $"{i}")]);

        var view = new StateView();
        var reader = new StateReader(stream, view, live: LiveMode.Off);
        await reader.RunAsync();
        StateCheckpoint checkpoint = reader.TryCreateCheckpoint()!;
        byte[] savedSnapshot = checkpoint.Snapshot.ToUtf8Json();
        string savedOffset = checkpoint.Offset.ToString(); // stored as text, as an application would

        await writer.WriteTransactionAsync("b0", [new ChangeMessage("user", "3", ChangeOperation.Delete), Put("user", "4", "{'n':40}", ChangeOperation.Update)]);
        await writer.WriteControlAsync(StateControl.SnapshotStart);
        await writer.WriteTransactionAsync("b1", [Put("user", "20", "{'n':20}", ChangeOperation.Upsert)]);
        await writer.WriteControlAsync(StateControl.SnapshotEnd);

        var resumed = new StateView(StateSnapshot.Parse(savedSnapshot));
        var notifications = Record(resumed);
        await new StateReader(stream, resumed, Offset.Parse(savedOffset), LiveMode.Off).RunAsync();

        var replayed = new StateView();
        await new StateReader(stream, replayed, live: LiveMode.Off).RunAsync();

        Assert.Equal(Fingerprint(replayed), Fingerprint(resumed));
        Assert.Contains("user{0=", Fingerprint(resumed), StringComparison.Ordinal);
        Assert.All(new[] { "a0", "a9", "b0", "b1" }, tx => Assert.True(resumed.HasAppliedTxId(tx), tx));
        // Only what came after the checkpoint was applied: the delete and update, then the snapshot.
        Assert.Equal([StateChangeReason.Change, StateChangeReason.Change, StateChangeReason.Snapshot], notifications.Select(n => n.Reason));
    }

    [Fact]
    public async Task A_bad_message_fails_the_reader_with_the_typed_exception_and_leaves_the_view_as_it_was()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-bad");
        var writer = new StateWriter(stream);
        Offset? good = await writer.WriteTransactionAsync("t1", [Put("user", "1", "{'n':1}")]);
        // An update without a value, appended raw (the writer refuses it), then a valid change.
        await stream.AppendJsonAsync(Json("{'type':'user','key':'missing','headers':{'operation':'update'}}"), TestJsonContext.Default.JsonElement);
        await writer.WriteTransactionAsync("t2", [Put("user", "2", "{'n':2}")]);

        var view = new StateView();
        var reader = new StateReader(stream, view, live: LiveMode.Off);
        var error = await Assert.ThrowsAsync<StateProtocolException>(() => reader.RunAsync());

        Assert.Equal(StateErrorReason.MalformedMessage, error.Reason);
        Assert.Equal("missing", error.Key);
        Assert.Equal("snapshot=False;user{1={\"n\":1};}", Fingerprint(view));
        Assert.False(view.HasAppliedTxId("t2"));
        Assert.NotNull(good);
        Assert.Contains("\"missing\"", await FirstMessageFromAsync(stream, reader.Position), StringComparison.Ordinal); // resumes at the bad message
    }

    [Fact]
    public async Task A_malformed_message_fails_the_reader_before_anything_of_it_is_applied()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-malformed");
        Offset? good = await new StateWriter(stream).WriteTransactionAsync("t1", [Put("user", "1", "1")]);
        await stream.AppendJsonAsync(Json("{'type':'user','key':'2','headers':{'operation':'explode'}}"), TestJsonContext.Default.JsonElement);

        var view = new StateView();
        var reader = new StateReader(stream, view, live: LiveMode.Off);
        var error = await Assert.ThrowsAsync<StateProtocolException>(() => reader.RunAsync());

        Assert.Equal(StateErrorReason.UnknownOperation, error.Reason);
        Assert.Equal("snapshot=False;user{1=1;}", Fingerprint(view));
        Assert.NotNull(good);
        Assert.Contains("explode", await FirstMessageFromAsync(stream, reader.Position), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_written_through_an_idempotent_producer_is_applied_in_order()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-producer");
        await using (var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "state-writer", AutoClaim = true }))
        {
            var writer = new StateWriter(producer);
            Assert.Null(await writer.WriteTransactionAsync("p1", [Put("user", "1", "1"), Put("user", "1", "2", ChangeOperation.Update)]));
            await writer.WriteTransactionAsync("p2", [new ChangeMessage("user", "1", ChangeOperation.Delete), Put("user", "9", "9")]);
            await producer.FlushAsync();
        }

        var view = new StateView();
        await new StateReader(stream, view, live: LiveMode.Off).RunAsync();
        Assert.Equal("snapshot=False;user{9=9;}", Fingerprint(view));
        Assert.True(view.HasAppliedTxId("p1") && view.HasAppliedTxId("p2"));
    }

    [Fact]
    public async Task An_invalid_message_is_refused_before_anything_of_its_transaction_is_written()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-invalid-write");
        var writer = new StateWriter(stream);
        await Assert.ThrowsAsync<StateProtocolException>(() =>
            writer.WriteTransactionAsync("t1", [Put("user", "1", "1"), new ChangeMessage("user", "2", ChangeOperation.Insert)]));

        await using var response = await stream.ReadAsync(new ReadOptions());
        var items = new List<string>();
        await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.JsonElement))
            items.Add(e.Data.GetRawText());
        Assert.Empty(items);
    }

    [Fact]
    public async Task Written_changes_carry_the_txid_and_a_timestamp_on_the_wire()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-wire");
        await new StateWriter(stream).WriteTransactionAsync("w1", [Put("user", "1", "{'a':1}")]);

        await using var response = await stream.ReadAsync(new ReadOptions());
        var messages = new List<StateMessage>();
        await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.JsonElement))
            messages.Add(StateMessage.Parse(Encoding.UTF8.GetBytes(e.Data.GetRawText())));
        var change = Assert.IsType<ChangeMessage>(Assert.Single(messages));
        Assert.Equal("w1", change.TxId);
        Assert.NotNull(change.Timestamp);
        Assert.Equal(ChangeOperation.Insert, change.Operation);
    }

    [Fact]
    public async Task A_checkpoint_taken_in_a_Changed_handler_in_the_middle_of_a_delivery_resumes_exactly()
    {
        using var client = fixture.CreateClient();
        var stream = await NewStreamAsync(client, "state-mid-delivery");
        var writer = new StateWriter(stream);
        // One append of six changes: one delivery, so checkpoints inside it are token,skip offsets.
        await writer.WriteTransactionAsync("t1", Enumerable.Range(0, 6).Select(i => Put("n", $"{i}", $"{i}")));

        var view = new StateView();
        var reader = new StateReader(stream, view, live: LiveMode.Off);
        var checkpoints = new List<StateCheckpoint>();
        view.Changed += (_, _) => checkpoints.Add(reader.TryCreateCheckpoint()!);
        await reader.RunAsync();
        Assert.Equal(6, checkpoints.Count);

        StateCheckpoint third = checkpoints[2];
        Assert.Equal(3, third.Snapshot.Entities["n"].Count);
        Assert.Equal(3, third.Offset.Skip); // the position inside the delivery, matching the state
        var resumed = new StateView(StateSnapshot.Parse(third.Snapshot.ToUtf8Json()));
        var applied = Record(resumed);
        await new StateReader(stream, resumed, Offset.Parse(third.Offset.ToString()), LiveMode.Off).RunAsync();

        Assert.Equal(Fingerprint(view), Fingerprint(resumed));
        Assert.Equal(["3", "4", "5"], applied.SelectMany(a => a.Changes).Select(c => c.Key)); // nothing repeated, nothing skipped
    }
}
