using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace DurableStreams.State;

/// <summary>
/// Maps State Protocol JSON to <see cref="StateMessage"/> and back through the source-generated <see cref="StateJsonContext"/>.
/// Unknown fields are ignored (the TypeScript writer passes caller headers through); everything the protocol defines is checked.
/// </summary>
internal static partial class StateMessageCodec
{
    public static StateMessage Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw Malformed($"A state message must be a JSON object, not {json.ValueKind}.");
        WireMessage? wire;
        try
        {
            wire = json.Deserialize(StateJsonContext.Default.WireMessage);
        }
        catch (JsonException e)
        {
            throw Malformed($"A state message field has the wrong JSON type: {e.Message}", e);
        }
        return FromWire(wire!);
    }

    public static StateMessage Read(ReadOnlySpan<byte> utf8Json)
    {
        WireMessage? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8Json, StateJsonContext.Default.WireMessage);
        }
        catch (JsonException e)
        {
            throw Malformed($"Not a valid state message: {e.Message}", e);
        }
        return wire is null ? throw Malformed("A state message must be a JSON object, not null.") : FromWire(wire);
    }

    public static byte[] Write(StateMessage message) => JsonSerializer.SerializeToUtf8Bytes(ToWire(message), StateJsonContext.Default.WireMessage);

    /// <summary>Validates the message and maps it to its wire shape.</summary>
    public static WireMessage ToWire(StateMessage message)
    {
        message.Validate();
        return message switch
        {
            ChangeMessage c => new WireMessage
            {
                Type = c.Type, Key = c.Key, Value = c.Value, OldValue = c.OldValue,
                Headers = new WireHeaders
                {
                    Operation = OperationName(c.Operation), TxId = c.TxId,
                    Timestamp = c.Timestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                },
            },
            ControlMessage k => new WireMessage { Headers = new WireHeaders { Control = ControlName(k.Control), Offset = k.Offset } },
            _ => throw new ArgumentException("Unknown state message kind.", nameof(message)),
        };
    }

    public static string OperationName(ChangeOperation operation) => operation switch
    {
        ChangeOperation.Insert => "insert",
        ChangeOperation.Update => "update",
        ChangeOperation.Upsert => "upsert",
        ChangeOperation.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private static string ControlName(StateControl control) => control switch
    {
        StateControl.SnapshotStart => "snapshot-start",
        StateControl.SnapshotEnd => "snapshot-end",
        StateControl.Reset => "reset",
        _ => throw new ArgumentOutOfRangeException(nameof(control)),
    };

    private static StateMessage FromWire(WireMessage wire)
    {
        WireHeaders h = wire.Headers ?? throw Malformed("A state message needs a 'headers' object.");
        if (h.Operation is not null && h.Control is not null)
            throw Malformed("A state message has both 'headers.operation' and 'headers.control'.");
        StateMessage message;
        if (h.Control is not null)
        {
            StateControl control = h.Control switch
            {
                "snapshot-start" => StateControl.SnapshotStart,
                "snapshot-end" => StateControl.SnapshotEnd,
                "reset" => StateControl.Reset,
                _ => throw new StateProtocolException($"Unknown control '{h.Control}'.", StateErrorReason.UnknownControl),
            };
            message = new ControlMessage(control) { Offset = h.Offset };
        }
        else if (h.Operation is not null)
        {
            ChangeOperation operation = h.Operation switch
            {
                "insert" => ChangeOperation.Insert,
                "update" => ChangeOperation.Update,
                "upsert" => ChangeOperation.Upsert,
                "delete" => ChangeOperation.Delete,
                _ => throw new StateProtocolException($"Unknown operation '{h.Operation}' on '{wire.Type}' key '{wire.Key}'.",
                    StateErrorReason.UnknownOperation, NullIfEmpty(wire.Type), NullIfEmpty(wire.Key)),
            };
            message = new ChangeMessage(wire.Type ?? "", wire.Key ?? "", operation)
            {
                Value = wire.Value, OldValue = wire.OldValue, TxId = h.TxId, Timestamp = ParseTimestamp(h.Timestamp, wire),
            };
        }
        else
        {
            throw Malformed("A state message needs 'headers.operation' (a change) or 'headers.control' (a control message).");
        }
        message.Validate();
        return message;
    }

    private static DateTimeOffset? ParseTimestamp(string? text, WireMessage wire)
    {
        if (text is null)
            return null;
        // RFC 3339 is stricter than DateTimeOffset.TryParse (which takes dates without times, local culture forms...).
        if (Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return parsed;
        throw new StateProtocolException($"'headers.timestamp' '{text}' is not an RFC 3339 date-time.", StateErrorReason.MalformedMessage,
            NullIfEmpty(wire.Type), NullIfEmpty(wire.Key));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static StateProtocolException Malformed(string message, Exception? inner = null) =>
        new(message, StateErrorReason.MalformedMessage, innerException: inner);
}

/// <summary>The JSON shape shared by change and control messages. <c>default</c> JSON elements are absent fields.</summary>
internal sealed class WireMessage
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("key")] public string? Key { get; set; }

    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement Value { get; set; }

    [JsonPropertyName("old_value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public JsonElement OldValue { get; set; }

    [JsonPropertyName("headers")] public WireHeaders? Headers { get; set; }
}

internal sealed class WireHeaders
{
    [JsonPropertyName("operation")] public string? Operation { get; set; }
    [JsonPropertyName("control")] public string? Control { get; set; }
    [JsonPropertyName("txid")] public string? TxId { get; set; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("offset")] public string? Offset { get; set; }
}

// Duplicate fields are refused: two 'operation's or 'key's in one message would mean different things to different readers.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(WireMessage))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(WireSnapshot))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
