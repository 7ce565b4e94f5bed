using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableStreams.ConformanceAdapter;

/// <summary>Source-generated JSON metadata (reflection-based JSON is off).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AdapterJson : JsonSerializerContext;
