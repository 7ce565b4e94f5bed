using System.Text.Encodings.Web;
using System.Text.Json;

namespace DurableStreams.Server.Protocol;

/// <summary>
/// The fast path of <see cref="JsonMessages.TryFlatten(ReadOnlyMemory{byte}, bool, out byte[], out int, out string?)"/>:
/// a body that is already minified, with no escape sequence and nothing the writer's encoder would escape in any
/// string or property name, is stored as its own bytes. Writing its parsed values would give exactly those bytes (the
/// writer copies numbers and literals as they are, and writes such strings unchanged), so it is copied instead of
/// parsed into a document and written again. Any other body (whitespace between tokens, escapes, invalid JSON, an
/// empty array) is left to the general path, which also reports the errors.
/// </summary>
internal static class JsonVerbatim
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>True with the stored form ("v1,v2,") and the value count when the body qualifies; false otherwise.</summary>
    public static bool TryFlatten(ReadOnlySpan<byte> body, JavaScriptEncoder encoder, out byte[] stored, out int count)
    {
        stored = [];
        count = 0;
        if (!IsMinified(body, encoder, out var rootIsArray, out count)) return false;
        if (rootIsArray)
        {
            // "[v1,v2]" → "v1,v2,": the inside of the brackets, the closing one turned into the last comma.
            stored = body[1..].ToArray();
            stored[^1] = (byte)',';
        }
        else
        {
            stored = new byte[body.Length + 1];
            body.CopyTo(stored);
            stored[^1] = (byte)',';
        }
        return true;
    }

    private static bool IsMinified(ReadOnlySpan<byte> body, JavaScriptEncoder encoder, out bool rootIsArray, out int count)
    {
        rootIsArray = false;
        count = 0;
        var reader = new Utf8JsonReader(body, ReaderOptions);
        long end = 0;
        try
        {
            while (reader.Read())
            {
                var start = reader.TokenStartIndex;
                // Between two tokens of minified JSON there is nothing, or exactly one ',' or ':'.
                var gap = start - end;
                if (gap != 0 && (gap != 1 || body[(int)end] is not ((byte)',' or (byte)':'))) return false;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.EndObject or JsonTokenType.EndArray:
                        end = start + 1;
                        break;
                    case JsonTokenType.String or JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped || encoder.FindFirstCharacterToEncodeUtf8(reader.ValueSpan) >= 0) return false;
                        end = start + reader.ValueSpan.Length + 2;
                        break;
                    default:
                        end = start + reader.ValueSpan.Length;
                        break;
                }
                if (start == 0) rootIsArray = reader.TokenType == JsonTokenType.StartArray;
                else if (rootIsArray && reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray)) count++;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (!rootIsArray) count = 1;
        // Nothing after the root value either; an empty array is the general path's case (valid only at creation).
        return end == body.Length && end > 0 && count > 0;
    }
}
