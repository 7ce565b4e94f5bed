using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Runner;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class AdapterCommandsTests
{
    private static CaseStep Step(string yaml)
    {
        var suite = $"id: s\ntests:\n  - id: t\n    operations:\n      - {yaml.Replace("\n", "\n        ", StringComparison.Ordinal)}\n";
        return SuiteFileParser.Parse(suite, "t.yaml")[0].Operations[0];
    }

    private static (AdapterCommands Commands, VariableTable Variables) Builder()
    {
        var variables = new VariableTable();
        variables.SetText("streamPath", "/s");
        variables.SetText("tail", "0_9");
        return (new AdapterCommands(variables), variables);
    }

    [Fact]
    public void Append_serialises_json_payloads_compactly_and_substitutes_text_data_only()
    {
        var (commands, _) = Builder();

        var json = commands.Append(Step("action: append\npath: ${streamPath}\njson: { id: 0, tags: [a, 1.5] }\ndata: ignored"));
        var text = commands.Append(Step("action: append\npath: ${streamPath}\ndata: \"at ${tail}\"\nseq: 9007199254740991\nheaders: { X-A: b }"));

        Assert.Equal("""{"type":"append","path":"/s","data":"{\"id\":0,\"tags\":[\"a\",1.5]}","binary":false}""", CompactJson.Stringify(json));
        Assert.Equal("""{"type":"append","path":"/s","data":"at 0_9","binary":false,"seq":9007199254740991,"headers":{"X-A":"b"}}""", CompactJson.Stringify(text));
    }

    [Fact]
    public void BinaryData_replaces_the_payload_and_only_a_non_empty_one_is_binary()
    {
        var (commands, _) = Builder();

        var binary = commands.Append(Step("action: append\npath: /p\ndata: x\nbinaryData: \"AAE=\""));
        var empty = commands.Append(Step("action: append\npath: /p\nbinaryData: \"\""));

        Assert.Equal(("AAE=", true), (binary["data"]!.GetValue<string>(), binary["binary"]!.GetValue<bool>()));
        Assert.Equal(("", false), (empty["data"]!.GetValue<string>(), empty["binary"]!.GetValue<bool>()));
    }

    [Fact]
    public void Read_passes_live_through_unchanged_and_omits_absent_fields()
    {
        var (commands, _) = Builder();

        Assert.Equal("""{"type":"read","path":"/s","offset":"0_9","live":false}""",
            CompactJson.Stringify(commands.Read(Step("action: read\npath: ${streamPath}\noffset: ${tail}\nlive: false"))));
        Assert.Equal("""{"type":"read","path":"/s","live":"long-poll","timeoutMs":1000,"maxChunks":1,"waitForUpToDate":true}""",
            CompactJson.Stringify(commands.Read(Step("action: read\npath: ${streamPath}\noffset: \"\"\nlive: long-poll\ntimeoutMs: 1000\nmaxChunks: 1\nwaitForUpToDate: true\nexpect: { data: x }"))));
    }

    [Fact]
    public void Producer_commands_default_epoch_and_autoClaim_and_drop_an_empty_final_message()
    {
        var (commands, _) = Builder();

        Assert.Equal("""{"type":"idempotent-append","path":"/s","producerId":"p","epoch":0,"data":"d/s","autoClaim":false}""",
            CompactJson.Stringify(commands.IdempotentAppend(Step("action: idempotent-append\npath: ${streamPath}\nproducerId: p\ndata: d${streamPath}"))));
        Assert.Equal("""{"type":"idempotent-close","path":"/s","producerId":"p","epoch":3,"autoClaim":true}""",
            CompactJson.Stringify(commands.IdempotentClose(Step("action: idempotent-close\npath: ${streamPath}\nproducerId: p\nepoch: 3\ndata: \"\"\nautoClaim: true"))));
        Assert.Equal("""{"type":"idempotent-append-batch","path":"/s","producerId":"p","epoch":0,"items":["a","/s"],"autoClaim":false,"maxInFlight":5}""",
            CompactJson.Stringify(commands.IdempotentAppendBatch(Step("action: idempotent-append-batch\npath: ${streamPath}\nproducerId: p\nmaxInFlight: 5\nitems:\n  - data: a\n  - data: ${streamPath}"))));
    }

    [Fact]
    public void Close_and_batch_items_use_their_data_literally()
    {
        var (commands, _) = Builder();
        var batch = Step("action: append-batch\npath: ${streamPath}\nitems:\n  - data: \"${tail}\"\n    seq: 2");

        Assert.Equal("""{"type":"close","path":"/s","data":"${tail}"}""",
            CompactJson.Stringify(commands.Close(Step("action: close\npath: ${streamPath}\ndata: \"${tail}\"\nheaders: { A: b }"))));
        Assert.Equal("""{"type":"append","path":"/s","data":"${tail}","binary":false,"seq":2}""",
            CompactJson.Stringify(commands.AppendBatchItem(batch, "/s", ((JsonArray)batch["items"]!)[0])));
    }
}
