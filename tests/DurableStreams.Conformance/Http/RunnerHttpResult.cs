using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Http;

/// <summary>What a runner-direct action sent (as a JSON description) and the result object it synthesised, if any.</summary>
internal sealed record RunnerHttpResult(JsonObject Sent, JsonObject? Result);
