using DurableStreams.Server.Storage;

namespace DurableStreams.Server.Tests;

/// <summary>The file store keeps data, closure, producer state, forks and deletes across a restart.</summary>
public sealed class FileStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ds-file-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private FileStreamStore Open() => new(_directory, TimeProvider.System);

    [Fact]
    public void Data_offsets_and_closure_survive_a_restart()
    {
        string tail;
        using (var store = Open())
        {
            store.CreateText("/s", "a");
            store.AppendText("/s", "b");
            tail = store.AppendText("/s", "c", close: true).NextOffset!;
        }

        using var reopened = Open();
        var head = reopened.Head("/s").Stream!;
        Assert.Equal("abc", reopened.ReadText("/s"));
        Assert.Equal(tail, head.TailOffset);
        Assert.True(head.Closed);
        Assert.Equal(AppendStatus.StreamClosed, reopened.AppendText("/s", "d").Status);
    }

    [Fact]
    public void Producer_state_survives_a_restart()
    {
        using (var store = Open())
        {
            store.CreateText("/p");
            store.AppendText("/p", "a", new ProducerClaim("w", 2, 0));
            store.AppendText("/p", "b", new ProducerClaim("w", 2, 1));
        }

        using var reopened = Open();
        Assert.Equal(AppendStatus.Duplicate, reopened.AppendText("/p", "b", new ProducerClaim("w", 2, 1)).Status);
        Assert.Equal(AppendStatus.StaleEpoch, reopened.AppendText("/p", "z", new ProducerClaim("w", 1, 0)).Status);
        Assert.Equal(AppendStatus.Appended, reopened.AppendText("/p", "c", new ProducerClaim("w", 2, 2)).Status);
        Assert.Equal("abc", reopened.ReadText("/p"));
    }

    [Fact]
    public void Json_streams_forks_and_deletes_survive_a_restart()
    {
        using (var store = Open())
        {
            store.CreateJson("/j", """[{"n":1}]""");
            store.Create("/fork", new CreateRequest(null, null, null, false, [], "/j", null, null));
            store.AppendText("/fork", """{"n":2}""", contentType: "application/json");
            store.Delete("/j");
            store.CreateText("/gone");
            store.Delete("/gone");
        }

        using var reopened = Open();
        Assert.Equal("""[{"n":1},{"n":2}]""", reopened.ReadBody("/fork"));
        Assert.Equal(LookupStatus.Gone, reopened.Head("/j").Status);
        Assert.Equal(LookupStatus.NotFound, reopened.Head("/gone").Status);
    }

    [Fact]
    public void A_torn_last_record_is_skipped_and_later_writes_still_replay()
    {
        using (var store = Open()) store.CreateText("/s", "a");
        File.AppendAllText(Path.Combine(_directory, FileStreamStore.JournalFileName), """{"Op":"append","Pa""");

        using (var store = Open()) store.AppendText("/s", "b");

        using var reopened = Open();
        Assert.Equal("ab", reopened.ReadText("/s"));
    }
}
