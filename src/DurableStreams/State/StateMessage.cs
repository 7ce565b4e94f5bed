using System.Text.Json;

namespace DurableStreams.State;

/// <summary>The operation of a <see cref="ChangeMessage"/> (<c>headers.operation</c>).</summary>
public enum ChangeOperation
{
    /// <summary><c>insert</c>: stores a new entity (an existing one is replaced, as the TypeScript package does).</summary>
    Insert,
    /// <summary><c>update</c>: replaces the entity (a missing one is stored, as the TypeScript package does).</summary>
    Update,
    /// <summary><c>upsert</c>: stores or replaces the entity. Written by the TypeScript package; not in the v1.0 text.</summary>
    Upsert,
    /// <summary><c>delete</c>: removes the entity (of a missing one, nothing happens, as in the TypeScript package).</summary>
    Delete,
}

/// <summary>The signal of a <see cref="ControlMessage"/> (<c>headers.control</c>).</summary>
public enum StateControl
{
    /// <summary><c>snapshot-start</c>: the changes up to the next <c>snapshot-end</c> form one snapshot.</summary>
    SnapshotStart,
    /// <summary><c>snapshot-end</c>: closes the open snapshot.</summary>
    SnapshotEnd,
    /// <summary><c>reset</c>: clear the materialised state.</summary>
    Reset,
}

/// <summary>
/// One message of the Durable Streams State Protocol: a <see cref="ChangeMessage"/> or a <see cref="ControlMessage"/>.
/// Messages are JSON objects in a stream created with <c>application/json</c>; <see cref="Parse(JsonElement)"/> reads one
/// and <see cref="ToUtf8Json"/> writes one, both with source-generated JSON (Native AOT safe).
/// </summary>
public abstract record StateMessage
{
    private protected StateMessage()
    {
    }

    /// <summary>Reads and validates one message.</summary>
    /// <exception cref="StateProtocolException">The element is not a valid message.</exception>
    public static StateMessage Parse(JsonElement json) => StateMessageCodec.Read(json);

    /// <summary>Reads and validates one message from UTF-8 JSON text.</summary>
    /// <exception cref="StateProtocolException">The text is not JSON, or not a valid message.</exception>
    public static StateMessage Parse(ReadOnlySpan<byte> utf8Json) => StateMessageCodec.Read(utf8Json);

    /// <summary>Validates the message and writes it as UTF-8 JSON, in the protocol's field names.</summary>
    /// <exception cref="StateProtocolException">The message is not valid (for example an insert without a value).</exception>
    public byte[] ToUtf8Json() => StateMessageCodec.Write(this);

    /// <summary>Throws a <see cref="StateProtocolException"/> unless the message may go on the wire.</summary>
    internal abstract void Validate();
}

/// <summary>
/// A change to the entity <see cref="Key"/> of <see cref="Type"/>. <see cref="Value"/> and <see cref="OldValue"/> are
/// raw JSON; <c>default</c> (<see cref="JsonValueKind.Undefined"/>) means the field is absent, which differs from JSON
/// <c>null</c>.
/// </summary>
/// <param name="Type">The entity type (<c>type</c>), routing the change to a collection; non-empty.</param>
/// <param name="Key">The entity key (<c>key</c>), unique within its type; non-empty.</param>
/// <param name="Operation">What the change does (<c>headers.operation</c>).</param>
public sealed record ChangeMessage(string Type, string Key, ChangeOperation Operation) : StateMessage
{
    /// <summary>The new value (<c>value</c>); required for insert, update and upsert, usually absent on delete.</summary>
    public JsonElement Value { get; init; }

    /// <summary>The previous value (<c>old_value</c>), when the writer sent it.</summary>
    public JsonElement OldValue { get; init; }

    /// <summary>The transaction id (<c>headers.txid</c>), non-empty when present.</summary>
    public string? TxId { get; init; }

    /// <summary>When the change happened (<c>headers.timestamp</c>, RFC 3339 on the wire).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    internal override void Validate()
    {
        string? type = string.IsNullOrEmpty(Type) ? null : Type, key = string.IsNullOrEmpty(Key) ? null : Key;
        if (type is null || key is null)
            throw new StateProtocolException("A change message needs a non-empty 'type' and 'key'.", StateErrorReason.MalformedMessage, type, key);
        if (!Enum.IsDefined(Operation))
            throw new StateProtocolException($"Change operation {(int)Operation} is not defined.", StateErrorReason.UnknownOperation, type, key);
        if (Operation != ChangeOperation.Delete && Value.ValueKind == JsonValueKind.Undefined)
            throw new StateProtocolException(
                $"A {StateMessageCodec.OperationName(Operation)} of '{type}' key '{key}' has no 'value'.", StateErrorReason.MalformedMessage, type, key);
        if (TxId is { Length: 0 })
            throw new StateProtocolException("'headers.txid' must not be empty when present.", StateErrorReason.MalformedMessage, type, key);
    }
}

/// <summary>A control signal: a snapshot boundary or a reset.</summary>
/// <param name="Control">The signal (<c>headers.control</c>).</param>
public sealed record ControlMessage(StateControl Control) : StateMessage
{
    /// <summary>The stream offset the signal refers to (<c>headers.offset</c>), non-empty when present.</summary>
    public string? Offset { get; init; }

    internal override void Validate()
    {
        if (!Enum.IsDefined(Control))
            throw new StateProtocolException($"Control {(int)Control} is not defined.", StateErrorReason.UnknownControl);
        if (Offset is { Length: 0 })
            throw new StateProtocolException("'headers.offset' must not be empty when present.", StateErrorReason.MalformedMessage);
    }
}
