using System.Text.Json.Serialization;

namespace DurableStreams.Server.Storage;

/// <summary>
/// One committed state change. The memory store applies these directly; the file store also appends them
/// to its journal and replays them on start, so live changes and recovery share one code path.
/// </summary>
internal sealed class JournalRecord
{
    public const string CreateOp = "create";
    public const string AppendOp = "append";
    public const string CloseOp = "close";
    public const string DeleteOp = "delete";

    public required string Op { get; init; }
    public required string Path { get; init; }

    public string? ContentType { get; init; }
    public long? TtlSeconds { get; init; }
    public string? ExpiresAt { get; init; }
    public string? ForkedFrom { get; init; }
    public string? ForkOffset { get; init; }
    public long ForkSubOffset { get; init; }
    public string? StartOffset { get; init; }

    public List<JournalMessage>? Messages { get; init; }
    public bool Close { get; init; }
    public JournalProducer? ClosedBy { get; init; }
    public JournalProducer? Producer { get; init; }
    public string? Seq { get; init; }
}

/// <summary>
/// One stored message; <paramref name="Count"/> is the number of values of a JSON message (0, omitted, for other
/// types, and in journals written before counts were kept: then it is recounted on replay).
/// </summary>
internal sealed record JournalMessage(string Offset, byte[] Data, int Count = 0);

/// <summary>A producer tuple; for <see cref="JournalRecord.Producer"/> the Seq is the new last accepted sequence.</summary>
internal sealed record JournalProducer(string Id, long Epoch, long Seq);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
