using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using Microsoft.Extensions.Time.Testing;

namespace DurableStreams.Server.Tests;

public sealed class MemoryStoreTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Appends_are_read_back_in_order_from_any_returned_offset()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateText("/s", "a");
        var first = store.AppendText("/s", "b");
        store.AppendText("/s", "c");

        Assert.Equal("abc", store.ReadText("/s"));
        Assert.Equal("c", store.ReadText("/s", first.NextOffset));
        Assert.Equal("", store.ReadText("/s", store.Head("/s").Stream!.TailOffset));
    }

    [Fact]
    public void Offsets_strictly_increase_and_sort_as_strings()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateText("/s");
        var offsets = Enumerable.Range(0, 20).Select(i => store.AppendText("/s", new string('x', i % 7 + 1)).NextOffset!).ToList();

        Assert.Equal(offsets, offsets.Order(StringComparer.Ordinal));
        Assert.Equal(offsets.Count, offsets.Distinct().Count());
        Assert.All(offsets, o => Assert.True(Offsets.IsConcrete(o)));
    }

    [Fact]
    public void Json_mode_flattens_one_array_level_and_rejects_empty_arrays_and_invalid_json()
    {
        using var store = new MemoryStreamStore(_clock);
        Assert.Equal(CreateStatus.Created, store.CreateJson("/j", "[]").Status);
        store.AppendText("/j", """[{"a":1},[2,3]]""", contentType: "application/json");
        store.AppendText("/j", """[[[4]]]""", contentType: "application/json");

        Assert.Equal("""[{"a":1},[2,3],[[4]]]""", store.ReadBody("/j"));
        Assert.Equal(AppendStatus.InvalidJson, store.AppendText("/j", "[]", contentType: "application/json").Status);
        Assert.Equal(AppendStatus.InvalidJson, store.AppendText("/j", "{oops", contentType: "application/json").Status);
    }

    [Fact]
    public void Create_is_idempotent_only_for_the_same_configuration()
    {
        using var store = new MemoryStreamStore(_clock);
        Assert.Equal(CreateStatus.Created, store.CreateText("/s").Status);
        Assert.Equal(CreateStatus.AlreadyExists, store.CreateText("/s").Status);
        Assert.Equal(CreateStatus.ConfigMismatch, store.CreateJson("/s").Status);
        Assert.Equal(CreateStatus.ConfigMismatch, store.CreateText("/s", closed: true).Status);
    }

    [Fact]
    public void A_closed_stream_refuses_appends_but_accepts_a_repeated_close()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateText("/s", "a");
        var closed = store.AppendText("/s", "", close: true);

        Assert.Equal(AppendStatus.ClosedNow, closed.Status);
        Assert.Equal(AppendStatus.ClosedNow, store.AppendText("/s", "", close: true).Status);
        var refused = store.AppendText("/s", "b");
        Assert.Equal(AppendStatus.StreamClosed, refused.Status);
        Assert.Equal(closed.NextOffset, refused.NextOffset);
        Assert.Equal("a", store.ReadText("/s"));
    }

    [Fact]
    public void Content_type_mismatch_and_stream_seq_regression_conflict()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateText("/s");
        Assert.Equal(AppendStatus.ContentTypeMismatch, store.AppendText("/s", "x", contentType: "application/json").Status);
        Assert.Equal(AppendStatus.Appended, store.Append("/s", new AppendRequest("text/plain", "a"u8.ToArray(), false, "002", null)).Status);
        Assert.Equal(AppendStatus.SeqConflict, store.Append("/s", new AppendRequest("text/plain", "b"u8.ToArray(), false, "001", null)).Status);
        Assert.Equal(AppendStatus.SeqConflict, store.Append("/s", new AppendRequest("text/plain", "b"u8.ToArray(), false, "002", null)).Status);
    }

    [Fact]
    public void Sliding_ttl_expires_idle_streams_and_reads_keep_them_alive()
    {
        using var store = new MemoryStreamStore(_clock);
        store.Create("/s", new CreateRequest("text/plain", 10, null, false, [], null, null, null));

        _clock.Advance(TimeSpan.FromSeconds(8));
        store.Read("/s", null);
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(LookupStatus.Found, store.Head("/s").Status);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(LookupStatus.NotFound, store.Head("/s").Status);
    }

    [Fact]
    public void A_fork_reads_inherited_data_then_its_own_and_a_deleted_source_is_gone_until_the_fork_goes()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateText("/src", "a");
        var split = store.AppendText("/src", "b").NextOffset;
        store.AppendText("/src", "c");

        var fork = store.Create("/fork", new CreateRequest(null, null, null, false, [], "/src", split, null));
        Assert.Equal(CreateStatus.Created, fork.Status);
        Assert.Equal("text/plain", fork.Stream!.ContentType);
        store.AppendText("/fork", "X");
        Assert.Equal("abX", store.ReadText("/fork"));

        Assert.Equal(DeleteStatus.Deleted, store.Delete("/src"));
        Assert.Equal(LookupStatus.Gone, store.Head("/src").Status);
        Assert.Equal(CreateStatus.PathGone, store.CreateText("/src").Status);
        Assert.Equal("abX", store.ReadText("/fork"));

        store.Delete("/fork");
        Assert.Equal(LookupStatus.NotFound, store.Head("/src").Status);
    }

    [Fact]
    public void A_sub_offset_fork_keeps_part_of_the_next_message()
    {
        using var store = new MemoryStreamStore(_clock);
        store.CreateJson("/src", """[1,2,3]""");
        store.AppendText("/src", "4", contentType: "application/json");

        var fork = store.Create("/fork", new CreateRequest(null, null, null, false, [], "/src", Offsets.Zero, 2));

        Assert.Equal(CreateStatus.Created, fork.Status);
        Assert.Equal("[1,2]", store.ReadBody("/fork"));
        Assert.Equal(CreateStatus.InvalidForkSubOffset,
            store.Create("/fork2", new CreateRequest(null, null, null, false, [], "/src", Offsets.Zero, 4)).Status);
    }

    [Fact]
    public async Task A_waiter_wakes_on_append_and_on_close()
    {
        using var store = new MemoryStreamStore(TimeProvider.System);
        store.CreateText("/s");
        var tail = store.Head("/s").Stream!.TailOffset;

        var waiting = store.WaitForChangeAsync("/s", tail, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        store.AppendText("/s", "a");
        Assert.True(await waiting.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));

        var next = store.Head("/s").Stream!.TailOffset;
        var waitingForClose = store.WaitForChangeAsync("/s", next, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        store.AppendText("/s", "", close: true);
        Assert.True(await waitingForClose.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.True(await store.WaitForChangeAsync("/s", next, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_wait_that_times_out_or_is_cancelled_reports_no_change()
    {
        using var store = new MemoryStreamStore(TimeProvider.System);
        store.CreateText("/s");
        var tail = store.Head("/s").Stream!.TailOffset;

        // Under a millisecond: the timer ends at once, and the answer still says nothing changed.
        Assert.False(await store.WaitForChangeAsync("/s", tail, TimeSpan.FromTicks(5000), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.False(await store.WaitForChangeAsync("/s", tail, TimeSpan.FromMinutes(5), new CancellationToken(canceled: true))
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        store.AppendText("/s", "a");
        Assert.True(await store.WaitForChangeAsync("/s", tail, TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void An_expired_stream_with_forks_keeps_its_path_blocked_and_cannot_be_forked_again()
    {
        using var store = new MemoryStreamStore(_clock);
        store.Create("/src", new CreateRequest("text/plain", 10, null, false, "a"u8.ToArray(), null, null, null));
        store.Create("/fork", new CreateRequest(null, 3600, null, false, [], "/src", null, null));

        _clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(CreateStatus.PathGone, store.CreateText("/src").Status);
        Assert.Equal(LookupStatus.Gone, store.Head("/src").Status);
        Assert.Equal(CreateStatus.SourceGone, store.Create("/fork2", new CreateRequest(null, null, null, false, [], "/src", null, null)).Status);
        Assert.Equal("a", store.ReadText("/fork"));
    }

    [Fact]
    public void An_expired_stream_without_forks_frees_its_path()
    {
        using var store = new MemoryStreamStore(_clock);
        store.Create("/s", new CreateRequest("text/plain", 10, null, false, "old"u8.ToArray(), null, null, null));

        _clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(CreateStatus.SourceNotFound, store.Create("/fork", new CreateRequest(null, null, null, false, [], "/s", null, null)).Status);
        Assert.Equal(CreateStatus.Created, store.CreateText("/s", "new").Status);
        Assert.Equal("new", store.ReadText("/s"));
    }
}
