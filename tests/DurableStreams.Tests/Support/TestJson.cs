using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableStreams.Tests.Support;

internal sealed record Order(int Id, string Name, string[] Tags);

internal sealed record Numbered(int N);

internal sealed record Tick(int I, string Payload);

/// <summary>Source-generated metadata for the test types (reflection-based serialization is off).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Numbered))]
[JsonSerializable(typeof(Tick))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
