using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// Builds the adapter command for each adapter-backed action. Only the fields the format lists
/// go through substitution; everything else is copied verbatim, and absent fields are omitted
/// (never sent as null).
/// </summary>
internal sealed class AdapterCommands(VariableTable variables)
{
    public JsonObject Create(CaseStep step, string path) =>
        Command("create", path).CopyFrom(step, "contentType", "ttlSeconds", "expiresAt", "headers", "closed", "data");

    /// <summary>connect, head and delete share one shape.</summary>
    public JsonObject PathOnly(CaseStep step) => Command(step.Action, Path(step)).CopyFrom(step, "headers");

    public JsonObject Append(CaseStep step)
    {
        var payload = step.Fields.ContainsKey("json")
            ? CompactJson.Stringify(step["json"])
            : JsValues.AsString(step["data"]) is { Length: > 0 } data ? Substitute(data) : string.Empty;

        var binary = false;
        if (step["binaryData"] is { } binaryData)
        {
            // Replaces the payload as written; only a non-empty string makes it binary, so
            // binaryData: "" goes out as an empty text append.
            payload = JsValues.ToText(binaryData);
            binary = payload.Length > 0;
        }

        var command = Command("append", Path(step));
        command["data"] = payload;
        command["binary"] = binary;
        return command.CopyFrom(step, "seq", "headers");
    }

    /// <summary>One of the per-item appends that <c>append-batch</c> is made of (item data is not substituted).</summary>
    public JsonObject AppendBatchItem(CaseStep step, string path, JsonNode? item)
    {
        var binaryData = item?["binaryData"];
        var command = Command("append", path);
        command["data"] = JsValues.ToText(binaryData ?? item?["data"]);
        command["binary"] = JsValues.AsString(binaryData) is { Length: > 0 };
        if (item?["seq"] is { } seq)
        {
            command["seq"] = seq.DeepClone();
        }

        return command.CopyFrom(step, "headers");
    }

    public JsonObject Read(CaseStep step)
    {
        var command = Command("read", Path(step));
        if (step["offset"] is { } offset && JsValues.ToText(offset) is { Length: > 0 } offsetText)
        {
            command["offset"] = Substitute(offsetText);
        }

        // live stays exactly as written: false/true are booleans, "long-poll"/"sse" strings.
        return command.CopyFrom(step, "live", "timeoutMs", "maxChunks", "waitForUpToDate", "headers");
    }

    public JsonObject Close(CaseStep step) => Command("close", Path(step)).CopyFrom(step, "data", "contentType");

    public JsonObject IdempotentAppend(CaseStep step)
    {
        var command = ProducerCommand(step);
        command["data"] = Substitute(JsValues.ToText(step["data"]));
        command["autoClaim"] = AutoClaim(step);
        return command.CopyFrom(step, "headers");
    }

    public JsonObject IdempotentAppendBatch(CaseStep step)
    {
        var command = ProducerCommand(step);
        var items = step["items"] as JsonArray ?? [];
        command["items"] = new JsonArray(items.Select(item => (JsonNode?)Substitute(JsValues.ToText(item?["data"]))).ToArray());
        command["autoClaim"] = AutoClaim(step);
        return command.CopyFrom(step, "maxInFlight", "headers");
    }

    public JsonObject IdempotentClose(CaseStep step)
    {
        var command = ProducerCommand(step);
        if (JsValues.ToText(step["data"]) is { Length: > 0 } data)
        {
            command["data"] = Substitute(data); // an empty final message is dropped
        }

        command["autoClaim"] = AutoClaim(step);
        return command.CopyFrom(step, "headers");
    }

    public JsonObject IdempotentDetach(CaseStep step) => ProducerCommand(step).CopyFrom(step, "headers");

    public static JsonObject SetDynamicHeader(CaseStep step) =>
        new JsonObject { ["type"] = "set-dynamic-header" }.CopyFrom(step, "name", "valueType", "initialValue");

    public static JsonObject SetDynamicParam(CaseStep step) =>
        new JsonObject { ["type"] = "set-dynamic-param" }.CopyFrom(step, "name", "valueType");

    public static JsonObject ClearDynamic() => new() { ["type"] = "clear-dynamic" };

    public static JsonObject Validate(CaseStep step) => new JsonObject { ["type"] = "validate" }.CopyFrom(step, "target");

    /// <summary>The step's substituted <c>path</c>; every action but <c>create</c> needs one.</summary>
    public string Path(CaseStep step) =>
        step.Has("path")
            ? Substitute(JsValues.ToText(step["path"]))
            : throw new StepFailedException($"'{step.Action}' needs a 'path'.");

    public string Substitute(string text) => Substitution.Apply(text, variables);

    private JsonObject ProducerCommand(CaseStep step)
    {
        var command = Command(step.Action, Path(step)).CopyFrom(step, "producerId");
        command["epoch"] = step["epoch"]?.DeepClone() ?? 0;
        return command;
    }

    private static JsonNode AutoClaim(CaseStep step) => step["autoClaim"]?.DeepClone() ?? false;

    private static JsonObject Command(string type, string path) => new() { ["type"] = type, ["path"] = path };
}
