using System.Text.Json.Serialization;

namespace DurableStreams.Bench.EndToEnd;

/// <summary>The ~100-byte message both clients write and read (the TS driver writes the same shape).</summary>
internal sealed record BenchRecord(
    [property: JsonPropertyName("caller")] int Caller,
    [property: JsonPropertyName("seq")] int Seq,
    [property: JsonPropertyName("at")] long At,
    [property: JsonPropertyName("payload")] string Payload)
{
    public static readonly string Filler = new('x', 48);
}

[JsonSerializable(typeof(BenchRecord))]
[JsonSerializable(typeof(BenchRecord[]))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
