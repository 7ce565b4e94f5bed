using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Yaml;

/// <summary>
/// One entry of a case's <c>setup</c>, <c>operations</c> or <c>cleanup</c> list. The action-specific
/// fields stay a JSON object: the executors read what their action needs and ignore the rest,
/// as the format requires for unknown keys.
/// </summary>
internal sealed class CaseStep
{
    public required CasePhase Phase { get; init; }

    /// <summary>Zero-based position within its phase list.</summary>
    public required int Index { get; init; }

    public required string Action { get; init; }

    /// <summary>Every key of the step, including <c>action</c> and <c>expect</c>.</summary>
    public required JsonObject Fields { get; init; }

    /// <summary>The <c>expect</c> mapping, or an empty object when absent.</summary>
    public required JsonObject Expect { get; init; }

    /// <summary>Where the step starts in its YAML file (<c>consumer/read-sse.yaml:120</c>).</summary>
    public required string SourceLocation { get; init; }

    public JsonNode? this[string field] => Fields[field];

    public bool Has(string field) => Fields.TryGetPropertyValue(field, out var value) && value is not null;

    /// <summary><c>operations[2] read (consumer/read-sse.yaml:120)</c></summary>
    public override string ToString() => $"{Phase.YamlKey()}[{Index}] {Action} ({SourceLocation})";
}
