using System.Text.Json.Serialization;

namespace DurableStreams.Server.Testing;

/// <summary>
/// A fault for the next requests to one stream path, in the JSON shape of the reference server's
/// <c>POST /_test/inject-error</c>, so client test suites written against it also run here.
/// </summary>
internal sealed class InjectedFault
{
    public string? Path { get; set; }
    public string? Method { get; set; }
    public int? Status { get; set; }
    public int Count { get; set; } = 1;
    public int? RetryAfter { get; set; }
    public int? DelayMs { get; set; }
    public int? JitterMs { get; set; }
    public bool DropConnection { get; set; }
    public int? TruncateBodyBytes { get; set; }
    public bool CorruptBody { get; set; }
    public double? Probability { get; set; }
    public InjectedSseEvent? InjectSseEvent { get; set; }

    [JsonIgnore]
    public bool HasFault => Status is not null || DelayMs is not null || DropConnection || TruncateBodyBytes is not null || CorruptBody || InjectSseEvent is not null;
}

/// <summary>An extra SSE event written before the real ones.</summary>
internal sealed class InjectedSseEvent
{
    public string EventType { get; set; } = "data";
    public string Data { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(InjectedFault))]
internal sealed partial class FaultJsonContext : JsonSerializerContext;
