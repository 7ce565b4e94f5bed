using System.Text;
using System.Text.Json;
using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateMessageTests
{
    [Fact]
    public void Parses_a_change_with_every_field()
    {
        var message = StateMessage.Parse(Json(
            "{'type':'user','key':'user:1','value':{'name':'Alice'},'old_value':{'name':'Al'}," +
            "'headers':{'operation':'update','txid':'tx-7','timestamp':'2025-01-15T10:35:00.250+02:00'}}"));

        var change = Assert.IsType<ChangeMessage>(message);
        Assert.Equal("user", change.Type);
        Assert.Equal("user:1", change.Key);
        Assert.Equal(ChangeOperation.Update, change.Operation);
        Assert.Equal("""{"name":"Alice"}""", Raw(change.Value));
        Assert.Equal("""{"name":"Al"}""", Raw(change.OldValue));
        Assert.Equal("tx-7", change.TxId);
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 10, 35, 0, 250, TimeSpan.FromHours(2)), change.Timestamp);
    }

    [Theory]
    [InlineData("insert", ChangeOperation.Insert)]
    [InlineData("update", ChangeOperation.Update)]
    [InlineData("upsert", ChangeOperation.Upsert)]
    [InlineData("delete", ChangeOperation.Delete)]
    public void Parses_each_operation(string name, ChangeOperation expected)
    {
        var change = Assert.IsType<ChangeMessage>(StateMessage.Parse(Json($"{{'type':'t','key':'k','value':1,'headers':{{'operation':'{name}'}}}}")));
        Assert.Equal(expected, change.Operation);
        Assert.Null(change.TxId);
        Assert.Null(change.Timestamp);
    }

    [Fact]
    public void A_delete_tells_an_absent_value_from_a_null_one()
    {
        var absent = Assert.IsType<ChangeMessage>(StateMessage.Parse(Json(Delete("t", "k"))));
        var nulled = Assert.IsType<ChangeMessage>(StateMessage.Parse(Json("{'type':'t','key':'k','value':null,'headers':{'operation':'delete'}}")));

        Assert.Equal(JsonValueKind.Undefined, absent.Value.ValueKind);
        Assert.Equal(JsonValueKind.Null, nulled.Value.ValueKind);
    }

    [Theory]
    [InlineData("snapshot-start", StateControl.SnapshotStart)]
    [InlineData("snapshot-end", StateControl.SnapshotEnd)]
    [InlineData("reset", StateControl.Reset)]
    public void Parses_each_control(string name, StateControl expected)
    {
        var control = Assert.IsType<ControlMessage>(StateMessage.Parse(Json($"{{'headers':{{'control':'{name}','offset':'123456_000'}}}}")));
        Assert.Equal(expected, control.Control);
        Assert.Equal("123456_000", control.Offset);
    }

    [Fact]
    public void Ignores_fields_the_protocol_does_not_define()
    {
        // The TypeScript helpers pass caller headers through; an extra field is not a reason to stop a reader.
        var change = Assert.IsType<ChangeMessage>(StateMessage.Parse(Json(
            "{'type':'t','key':'k','value':2,'extra':true,'headers':{'operation':'insert','trace':'abc'}}")));
        Assert.Equal("2", Raw(change.Value));
    }

    [Fact]
    public void Parses_utf8_text()
    {
        var change = Assert.IsType<ChangeMessage>(StateMessage.Parse(Encoding.UTF8.GetBytes("""{"type":"config","key":"theme","value":"dark","headers":{"operation":"insert"}}""")));
        Assert.Equal("\"dark\"", Raw(change.Value));
    }

    [Fact]
    public void Writes_a_change_in_the_protocol_field_names()
    {
        var change = new ChangeMessage("user", "1", ChangeOperation.Update)
        {
            Value = Json("{'name':'B'}"),
            OldValue = Json("{'name':'A'}"),
            TxId = "tx",
            Timestamp = new DateTimeOffset(2025, 1, 15, 12, 30, 0, TimeSpan.FromHours(2)),
        };

        string json = Encoding.UTF8.GetString(change.ToUtf8Json());

        Assert.Equal("""{"type":"user","key":"1","value":{"name":"B"},"old_value":{"name":"A"},"headers":{"operation":"update","txid":"tx","timestamp":"2025-01-15T10:30:00Z"}}""", json);
    }

    [Fact]
    public void Writes_a_delete_without_value_and_one_with_a_null_value_differently()
    {
        var absent = new ChangeMessage("t", "k", ChangeOperation.Delete);
        var nulled = absent with { Value = Json("null") };

        Assert.Equal("""{"type":"t","key":"k","headers":{"operation":"delete"}}""", Encoding.UTF8.GetString(absent.ToUtf8Json()));
        Assert.Equal("""{"type":"t","key":"k","value":null,"headers":{"operation":"delete"}}""", Encoding.UTF8.GetString(nulled.ToUtf8Json()));
    }

    [Fact]
    public void Writes_a_control_message_with_headers_only()
    {
        var reset = new ControlMessage(StateControl.SnapshotEnd) { Offset = "9_9" };
        Assert.Equal("""{"headers":{"control":"snapshot-end","offset":"9_9"}}""", Encoding.UTF8.GetString(reset.ToUtf8Json()));
    }

    [Fact]
    public void What_it_writes_it_reads_back_the_same()
    {
        var original = new ChangeMessage("presence", "user:1", ChangeOperation.Upsert)
        {
            Value = Json("{'status':'online','lastSeen':1705312200000}"),
            TxId = "t-1",
            Timestamp = new DateTimeOffset(2025, 1, 15, 10, 30, 0, 123, TimeSpan.Zero),
        };

        var read = Assert.IsType<ChangeMessage>(StateMessage.Parse(original.ToUtf8Json()));

        Assert.Equal((original.Type, original.Key, original.Operation, original.TxId, original.Timestamp),
            (read.Type, read.Key, read.Operation, read.TxId, read.Timestamp));
        Assert.True(JsonElement.DeepEquals(original.Value, read.Value));
        Assert.Equal(JsonValueKind.Undefined, read.OldValue.ValueKind);
    }

    [Fact]
    public void Refuses_to_write_an_insert_without_a_value()
    {
        var e = Assert.Throws<StateProtocolException>(() => new ChangeMessage("t", "k", ChangeOperation.Insert).ToUtf8Json());
        Assert.Equal(StateErrorReason.MalformedMessage, e.Reason);
        Assert.Equal(DurableStreamErrorCode.StateMessageRejected, e.Code);
    }

    [Theory]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'merge'}}", StateErrorReason.UnknownOperation)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'INSERT'}}", StateErrorReason.UnknownOperation)]
    [InlineData("{'headers':{'control':'rewind'}}", StateErrorReason.UnknownControl)]
    [InlineData("{'key':'k','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'','key':'k','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':5,'value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':null}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'insert','control':'reset'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':7}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','headers':{'operation':'update'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','headers':{'operation':'upsert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'insert','txid':''}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'insert','timestamp':'2025-01-15'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'insert','timestamp':'yesterday'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','value':1,'headers':{'operation':'insert','timestamp':'2025-13-45T10:00:00Z'}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'headers':{'control':'reset','offset':''}}", StateErrorReason.MalformedMessage)]
    [InlineData("{'type':'t','key':'k','key':'j','value':1,'headers':{'operation':'insert'}}", StateErrorReason.MalformedMessage)]
    [InlineData("[]", StateErrorReason.MalformedMessage)]
    [InlineData("'insert'", StateErrorReason.MalformedMessage)]
    [InlineData("null", StateErrorReason.MalformedMessage)]
    public void Rejects_bad_messages_with_the_reason(string singleQuoted, StateErrorReason reason)
    {
        var fromElement = Assert.Throws<StateProtocolException>(() => StateMessage.Parse(Json(singleQuoted)));
        var fromText = Assert.Throws<StateProtocolException>(() => StateMessage.Parse(Encoding.UTF8.GetBytes(singleQuoted.Replace('\'', '"'))));

        Assert.Equal(reason, fromElement.Reason);
        Assert.Equal(reason, fromText.Reason);
        Assert.Equal(DurableStreamErrorCode.StateMessageRejected, fromElement.Code);
    }

    [Fact]
    public void Rejects_text_that_is_not_json()
    {
        var e = Assert.Throws<StateProtocolException>(() => StateMessage.Parse("{\"headers\":"u8));
        Assert.Equal(StateErrorReason.MalformedMessage, e.Reason);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
    }

    [Fact]
    public void An_unknown_operation_names_the_entity()
    {
        var e = Assert.Throws<StateProtocolException>(() => StateMessage.Parse(Json("{'type':'user','key':'9','value':1,'headers':{'operation':'merge'}}")));
        Assert.Equal(("user", "9"), (e.EntityType, e.Key));
        Assert.Contains("merge", e.Message);
    }
}
