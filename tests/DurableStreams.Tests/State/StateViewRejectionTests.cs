using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

/// <summary>Every rejected message leaves the view exactly as it was, and the view keeps working after it.</summary>
public sealed class StateViewRejectionTests
{
    public static TheoryData<string, StateErrorReason> BadMessages => new()
    {
        { "{'type':'user','key':'1','value':1,'headers':{'operation':'merge'}}", StateErrorReason.UnknownOperation },
        { "{'headers':{'control':'rewind'}}", StateErrorReason.UnknownControl },
        { "{'type':'user','key':'1','headers':{'operation':'update'}}", StateErrorReason.MalformedMessage },
        { "{'type':'user','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage },
        { "{'type':'user','key':'1','value':1}", StateErrorReason.MalformedMessage },
        { "{'type':'user','key':'1','value':1,'headers':{'operation':'insert','timestamp':'noon'}}", StateErrorReason.MalformedMessage },
        { "'not an object'", StateErrorReason.MalformedMessage },
        { "[1]", StateErrorReason.MalformedMessage },
        { Delete("user", "missing"), StateErrorReason.MissingKey },
        { Delete("nosuchtype", "1"), StateErrorReason.MissingKey },
    };

    private static StateView Seeded(out List<StateChangedEventArgs> seen)
    {
        var view = new StateView();
        view.Apply($"[{Insert("user", "1", "{'name':'A'}", txid: "seed")},{Insert("flag", "x", "true")}]");
        seen = Record(view);
        return view;
    }

    [Theory]
    [MemberData(nameof(BadMessages))]
    public void A_bad_message_changes_nothing(string singleQuoted, StateErrorReason reason)
    {
        var view = Seeded(out var seen);
        string before = Fingerprint(view);

        var e = Assert.Throws<StateProtocolException>(() => view.Apply(singleQuoted));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(before, Fingerprint(view));
        Assert.Empty(seen);
        view.Apply(Update("user", "1", "{'name':'B'}"));
        Assert.Equal("{\"name\":\"B\"}", view.Collection("user")["1"].GetRawText());
    }

    [Theory]
    [MemberData(nameof(BadMessages))]
    public void A_bad_message_inside_a_snapshot_changes_neither_the_view_nor_the_staged_snapshot(string singleQuoted, StateErrorReason reason)
    {
        var view = Seeded(out var seen);
        view.Apply($"[{Control("snapshot-start")},{Insert("user", "2", "'staged'")}]");
        string before = Fingerprint(view);

        var e = Assert.Throws<StateProtocolException>(() => view.Apply(singleQuoted));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(before, Fingerprint(view));
        Assert.True(view.IsInSnapshot);
        view.Apply(Control("snapshot-end"));
        Assert.Equal("snapshot=False;flag{x=true;}user{1={\"name\":\"A\"};2=\"staged\";}", Fingerprint(view));
        Assert.Equal([("2", StateChangeKind.Inserted)], Assert.Single(seen).Changes.Select(c => (c.Key, c.Kind)));
    }

    [Fact]
    public void A_delete_of_a_missing_key_names_it_and_the_next_message_still_applies()
    {
        var view = Seeded(out _);

        var e = Assert.Throws<StateProtocolException>(() => view.Apply(Delete("user", "42", txid: "tx-del")));

        Assert.Equal(StateErrorReason.MissingKey, e.Reason);
        Assert.Equal(("user", "42"), (e.EntityType, e.Key));
        Assert.Contains("42", e.Message);
        Assert.False(view.HasAppliedTxId("tx-del"));
        view.Apply(Delete("user", "1"));
        Assert.Equal("snapshot=False;flag{x=true;}", Fingerprint(view));
    }

    [Fact]
    public void A_rejected_change_names_its_type_and_key()
    {
        var view = Seeded(out _);

        var e = Assert.Throws<StateProtocolException>(() => view.Apply(Change("user", "42", "upsert-ish")));

        Assert.Equal(StateErrorReason.UnknownOperation, e.Reason);
        Assert.Equal(("user", "42"), (e.EntityType, e.Key));
        Assert.Null(e.MessageIndex);
        Assert.Contains("42", e.Message);
    }

    private static string Change(string type, string key, string operation) =>
        $"{{'type':'{type}','key':'{key}','value':1,'headers':{{'operation':'{operation}'}}}}";

    [Fact]
    public void In_an_array_the_messages_before_the_bad_one_stay_applied_and_the_ones_after_it_are_not()
    {
        var view = new StateView();

        var e = Assert.Throws<StateProtocolException>(() =>
            view.Apply($"[{Insert("t", "1", "1")},{Insert("t", "2", "2")},{Change("t", "9", "merge")},{Insert("t", "3", "3")}]"));

        Assert.Equal(2, e.MessageIndex);
        Assert.Equal(StateErrorReason.UnknownOperation, e.Reason);
        Assert.Equal("snapshot=False;t{1=1;2=2;}", Fingerprint(view));
    }

    [Fact]
    public void A_rejected_message_does_not_record_its_txid()
    {
        var view = new StateView();

        Assert.Throws<StateProtocolException>(() => view.Apply("{'type':'t','key':'k','headers':{'operation':'insert','txid':'tx-bad'}}"));

        Assert.False(view.HasAppliedTxId("tx-bad"));
    }

    [Fact]
    public void A_message_built_in_code_is_checked_too()
    {
        var view = new StateView();

        var e = Assert.Throws<StateProtocolException>(() => view.Apply(new ChangeMessage("t", "", ChangeOperation.Delete)));
        var op = Assert.Throws<StateProtocolException>(() => view.Apply(new ChangeMessage("t", "k", (ChangeOperation)42) { Value = Json("1") }));
        var control = Assert.Throws<StateProtocolException>(() => view.Apply(new ControlMessage((StateControl)9)));

        Assert.Equal(StateErrorReason.MalformedMessage, e.Reason);
        Assert.Equal(StateErrorReason.UnknownOperation, op.Reason);
        Assert.Equal(StateErrorReason.UnknownControl, control.Reason);
        Assert.Equal("snapshot=False;", Fingerprint(view));
    }
}
