using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Runner;

/// <summary>One command sent to the adapter and the result object it answered with.</summary>
internal sealed record AdapterExchange(JsonObject Command, JsonObject Result);
