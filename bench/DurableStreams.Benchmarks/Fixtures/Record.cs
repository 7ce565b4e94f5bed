using System.Text.Json.Serialization;

namespace DurableStreams.Benchmarks.Fixtures;

/// <summary>The ~100-byte JSON message every benchmark moves around.</summary>
public sealed record Record(int Caller, int Seq, long At, string Payload);

[JsonSerializable(typeof(Record))]
[JsonSerializable(typeof(Record[]))]
public sealed partial class BenchJsonContext : JsonSerializerContext;
