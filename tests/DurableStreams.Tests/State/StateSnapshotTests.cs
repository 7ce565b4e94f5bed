using System.Text;
using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateSnapshotTests
{
    [Fact]
    public void A_saved_snapshot_restores_the_entities_and_the_applied_txids()
    {
        var view = new StateView();
        view.Apply(Insert("user", "1", "{'name':'ada','tags':[1,2]}", "t1"));
        view.Apply(Insert("order", "o", "null", "t2"));
        view.Apply(Delete("order", "o"));
        view.Apply(Insert("order", "p", "'text'"));

        byte[] saved = view.CreateSnapshot().ToUtf8Json();
        var restored = new StateView(StateSnapshot.Parse(saved));

        Assert.Equal(Fingerprint(view), Fingerprint(restored));
        Assert.True(restored.HasAppliedTxId("t1") && restored.HasAppliedTxId("t2"));
        Assert.False(restored.HasAppliedTxId("t3"));
        restored.Apply(Delete("user", "1")); // the restored view keeps applying
        Assert.Equal("snapshot=False;order{p=\"text\";}", Fingerprint(restored));
        Assert.Contains("user", Fingerprint(view), StringComparison.Ordinal); // the original is independent
    }

    [Fact]
    public void A_view_inside_a_snapshot_cannot_be_saved()
    {
        var view = new StateView();
        view.Apply(Control("snapshot-start"));
        Assert.Throws<InvalidOperationException>(() => view.CreateSnapshot());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"entities\":{\"\":{\"k\":1}}}")]
    [InlineData("{\"entities\":{\"user\":{\"\":1}}}")]
    [InlineData("{\"txids\":[\"\"]}")]
    [InlineData("{\"entities\":{\"user\":null}}")]
    public void A_malformed_snapshot_is_refused(string text)
    {
        var error = Assert.Throws<StateProtocolException>(() => StateSnapshot.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(StateErrorReason.MalformedMessage, error.Reason);
    }
}
