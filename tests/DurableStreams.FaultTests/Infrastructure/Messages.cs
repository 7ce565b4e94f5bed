using System.Text.Json.Serialization;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>What every scenario writes: who wrote it and its number in that writer's sequence.</summary>
public sealed record Msg(int Source, int Seq, string Pad);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Msg))]
public sealed partial class FaultJson : JsonSerializerContext;
