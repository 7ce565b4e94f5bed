using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DurableStreams.Server.Protocol;

/// <summary>
/// JSON mode (§9.1). A stored JSON message is its values, minified, each followed by a comma ("v1,v2,"),
/// so a read is "[" + the concatenation without its last comma + "]".
/// </summary>
internal static class JsonMessages
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>Validates a body and flattens one array level. An empty array is valid only at creation (§9.1.3).</summary>
    public static bool TryFlatten(ReadOnlyMemory<byte> body, bool isCreate, out byte[] stored, out string? error) =>
        TryFlatten(body, isCreate, out stored, out _, out error);

    /// <summary>As above, also counting the values stored (the messages of the append).</summary>
    public static bool TryFlatten(ReadOnlyMemory<byte> body, bool isCreate, out byte[] stored, out int count, out string? error)
    {
        error = null;
        if (JsonVerbatim.TryFlatten(body.Span, WriterOptions.Encoder!, out stored, out count)) return true;
        return TryFlattenParsed(body, isCreate, out stored, out count, out error);
    }

    /// <summary>The general path: parse, then write each value minified; also the one that reports invalid JSON.</summary>
    internal static bool TryFlattenParsed(ReadOnlyMemory<byte> body, bool isCreate, out byte[] stored, out int count, out string? error)
    {
        stored = [];
        count = 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ReaderOptions);
        }
        catch (JsonException)
        {
            error = "Invalid JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            var buffer = new ArrayBufferWriter<byte>(body.Length + 2);
            // One writer for every value (Reset between them): a writer per value cost an allocation per message.
            using var writer = new Utf8JsonWriter(buffer, WriterOptions);
            if (root.ValueKind == JsonValueKind.Array)
            {
                count = root.GetArrayLength();
                if (count == 0)
                {
                    error = isCreate ? null : "Empty arrays are not allowed";
                    return isCreate;
                }
                foreach (var item in root.EnumerateArray()) WriteValue(writer, buffer, item);
            }
            else
            {
                WriteValue(writer, buffer, root);
                count = 1;
            }
            stored = buffer.WrittenSpan.ToArray();
            error = null;
            return true;
        }
    }

    /// <summary>Formats stored messages as one JSON array.</summary>
    public static byte[] Format(IReadOnlyList<ReadOnlyMemory<byte>> messages)
    {
        var total = 2;
        foreach (var message in messages) total += message.Length;
        var result = new byte[total];
        result[0] = (byte)'[';
        var position = 1;
        foreach (var message in messages)
        {
            message.Span.CopyTo(result.AsSpan(position));
            position += message.Length;
        }
        // The last stored value's trailing comma becomes the closing bracket.
        if (position > 1) position--;
        result[position] = (byte)']';
        return result.AsSpan(0, position + 1).ToArray();
    }

    /// <summary>The first <paramref name="count"/> values of a stored message, in stored form; null when it has fewer.</summary>
    public static byte[]? TakeValues(ReadOnlyMemory<byte> stored, int count)
    {
        using var document = JsonDocument.Parse(Format([stored]));
        var values = document.RootElement;
        if (count > values.GetArrayLength()) return null;
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        var taken = 0;
        foreach (var item in values.EnumerateArray())
        {
            if (taken++ == count) break;
            WriteValue(writer, buffer, item);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>How many values a stored message holds (for journals written before counts were kept).</summary>
    public static int CountValues(ReadOnlyMemory<byte> stored)
    {
        using var document = JsonDocument.Parse(Format([stored]));
        return document.RootElement.GetArrayLength();
    }

    private static void WriteValue(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, JsonElement value)
    {
        value.WriteTo(writer);
        writer.Flush();
        buffer.Write(","u8);
        writer.Reset(buffer);
    }
}
