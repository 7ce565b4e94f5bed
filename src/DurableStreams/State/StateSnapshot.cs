using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableStreams.State;

/// <summary>
/// A saved copy of a <see cref="StateView"/>: its entities (type, key, value as raw JSON) and the transaction ids it
/// has applied. Save it with <see cref="ToUtf8Json"/> next to the reader's offset (<see cref="StateCheckpoint"/>), and
/// restore it with <see cref="StateView(StateSnapshot)"/> to resume without replaying the stream.
/// </summary>
public sealed class StateSnapshot
{
    internal StateSnapshot(ImmutableDictionary<string, ImmutableDictionary<string, JsonElement>> entities, IReadOnlyList<string> txIds)
    {
        Entities = entities;
        TxIds = txIds;
    }

    /// <summary>The entities by type, then by key.</summary>
    public IReadOnlyDictionary<string, ImmutableDictionary<string, JsonElement>> Entities { get; }

    /// <summary>The transaction ids the view had applied.</summary>
    public IReadOnlyList<string> TxIds { get; }

    /// <summary>Writes the snapshot as UTF-8 JSON (<c>{"entities":{type:{key:value}},"txids":[...]}</c>).</summary>
    public byte[] ToUtf8Json()
    {
        var wire = new WireSnapshot { TxIds = [.. TxIds] };
        foreach (var (type, entities) in Entities)
            wire.Entities[type] = new Dictionary<string, JsonElement>(entities, StringComparer.Ordinal);
        return JsonSerializer.SerializeToUtf8Bytes(wire, StateJsonContext.Default.WireSnapshot);
    }

    /// <summary>Reads a snapshot written by <see cref="ToUtf8Json"/>.</summary>
    /// <exception cref="StateProtocolException">The text is not a valid snapshot (reason <see cref="StateErrorReason.MalformedMessage"/>).</exception>
    public static StateSnapshot Parse(ReadOnlySpan<byte> utf8Json)
    {
        WireSnapshot? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8Json, StateJsonContext.Default.WireSnapshot);
        }
        catch (JsonException e)
        {
            throw new StateProtocolException($"Not a valid state snapshot: {e.Message}", StateErrorReason.MalformedMessage, innerException: e);
        }
        if (wire is null)
            throw new StateProtocolException("A state snapshot must be a JSON object, not null.", StateErrorReason.MalformedMessage);
        var root = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, JsonElement>>(StringComparer.Ordinal);
        foreach (var (type, entities) in wire.Entities ?? [])
        {
            if (string.IsNullOrEmpty(type) || entities is null)
                throw new StateProtocolException("A state snapshot has an empty entity type or a null collection.", StateErrorReason.MalformedMessage);
            var collection = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (key, value) in entities)
            {
                if (string.IsNullOrEmpty(key) || value.ValueKind == JsonValueKind.Undefined)
                    throw new StateProtocolException($"A state snapshot has an empty key or a missing value in '{type}'.", StateErrorReason.MalformedMessage, type);
                collection[key] = value.Clone();
            }
            if (collection.Count > 0)
                root[type] = collection.ToImmutable();
        }
        List<string> txIds = wire.TxIds ?? [];
        if (txIds.Exists(string.IsNullOrEmpty))
            throw new StateProtocolException("A state snapshot has an empty transaction id.", StateErrorReason.MalformedMessage);
        return new StateSnapshot(root.ToImmutable(), txIds);
    }
}

/// <summary>A view's saved state and the exact stream offset after the last message it applied.</summary>
/// <param name="Offset">Where a reader resumes (<see cref="StateReader.Position"/> when the checkpoint was taken).</param>
/// <param name="Snapshot">The view's state at that offset.</param>
public sealed record StateCheckpoint(Offset Offset, StateSnapshot Snapshot);

/// <summary>The JSON shape of a <see cref="StateSnapshot"/>.</summary>
internal sealed class WireSnapshot
{
    [JsonPropertyName("entities")] public Dictionary<string, Dictionary<string, JsonElement>> Entities { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("txids")] public List<string> TxIds { get; set; } = [];
}
