using System.Text;
using DurableStreams.Server.Storage;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>The message counts behind the metrics: JSON values, kept across a restart, recounted for older journals.</summary>
public sealed class MessageCountTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ds-count-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Json_appends_count_their_values_and_keep_the_count_across_a_restart()
    {
        using (var store = new FileStreamStore(_directory, TimeProvider.System))
        {
            Assert.Equal(2, store.CreateJson("/j", "[1,2]").Messages);
            var appended = store.AppendText("/j", "[3,4,5]", contentType: "application/json");
            Assert.Equal(3, appended.Messages);
            Assert.Equal("3,4,5,".Length, appended.Bytes);
            Assert.Equal(1, store.AppendText("/j", "{\"a\":[6,7]}", contentType: "application/json").Messages);
            store.CreateText("/t", "abc");
        }

        using var reopened = new FileStreamStore(_directory, TimeProvider.System);
        Assert.Equal([2, 3, 1], reopened.Read("/j", null).Messages.Select(m => m.Count));
        Assert.Equal([1], reopened.Read("/t", null).Messages.Select(m => m.Count));
    }

    [Fact]
    public void A_journal_without_counts_is_recounted_on_replay()
    {
        Directory.CreateDirectory(_directory);
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("1,2,3,"));
        File.WriteAllText(Path.Combine(_directory, FileStreamStore.JournalFileName),
            "{\"Op\":\"create\",\"Path\":\"/old\",\"ContentType\":\"application/json\",\"StartOffset\":\"0000000000000000_0000000000000000\"}\n" +
            $"{{\"Op\":\"append\",\"Path\":\"/old\",\"Messages\":[{{\"Offset\":\"0000000000000000_0000000000000006\",\"Data\":\"{data}\"}}]}}\n");

        using var store = new FileStreamStore(_directory, TimeProvider.System);

        var message = Assert.Single(store.Read("/old", null).Messages);
        Assert.Equal(3, message.Count);
        Assert.Equal(1, store.StreamCount);
    }
}
