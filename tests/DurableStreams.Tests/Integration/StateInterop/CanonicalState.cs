using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DurableStreams.State;

namespace DurableStreams.Tests.Integration.StateInterop;

/// <summary>
/// One canonical JSON text for a materialised state, <c>{"state": {type: {key: value}}, "txids": [...]}</c>, so that a
/// .NET <see cref="StateView"/> and the TypeScript <c>MaterializedState</c> compare as whole states: object members
/// sorted (ordinal), numbers written as the double they denote (1.50 and 1.5 are the same JSON number), arrays in order,
/// types without entities left out, transaction ids sorted.
/// </summary>
internal static class CanonicalState
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>The view's visible state and applied transaction ids.</summary>
    public static string Of(StateView view) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("state");
        foreach (string type in view.Types.Order(StringComparer.Ordinal))
        {
            w.WriteStartObject(type);
            foreach (var (key, value) in view.Collection(type).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(key);
                WriteValue(w, value);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartArray("txids");
        foreach (string txid in view.CreateSnapshot().TxIds.Order(StringComparer.Ordinal))
            w.WriteStringValue(txid);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>What a script printed (<c>{"state": ..., "txids": [...]}</c>), in the same form.</summary>
    public static string Of(JsonElement printed) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("state");
        foreach (var type in printed.GetProperty("state").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!type.Value.EnumerateObject().Any())
                continue;
            w.WritePropertyName(type.Name);
            WriteValue(w, type.Value);
        }
        w.WriteEndObject();
        w.WriteStartArray("txids");
        foreach (string txid in printed.GetProperty("txids").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal))
            w.WriteStringValue(txid);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
            write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter w, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var member in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(member.Name);
                    WriteValue(w, member.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (JsonElement item in value.EnumerateArray())
                    WriteValue(w, item);
                w.WriteEndArray();
                break;
            case JsonValueKind.Number:
                w.WriteNumberValue(value.GetDouble());
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }
}
