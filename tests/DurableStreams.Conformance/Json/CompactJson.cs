using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Json;

/// <summary>
/// Writes JSON exactly like JavaScript's <c>JSON.stringify</c> (compact, keys in insertion order,
/// only quotes, backslashes, control characters and lone surrogates escaped). Payloads built from
/// YAML <c>json:</c> values must match byte for byte what the upstream runner sends, and logs
/// stay readable because non-ASCII text is not turned into <c>\uXXXX</c>.
/// </summary>
internal static class CompactJson
{
    public static string Stringify(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node, escapeLineSeparators: false);
        return text.ToString();
    }

    /// <summary>
    /// One line of the adapter protocol: like <see cref="Stringify"/>, plus U+2028 and U+2029
    /// escaped so that no reader can mistake them for line breaks.
    /// </summary>
    public static string ToProtocolLine(JsonNode node)
    {
        var text = new StringBuilder();
        Write(text, node, escapeLineSeparators: true);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, bool escapeLineSeparators)
    {
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Number:
                var number = (JsonValue)node;
                // JSON has no NaN/Infinity; JSON.stringify writes null for them.
                var formatted = JsValues.FormatNumber(number);
                text.Append(formatted is "NaN" or "Infinity" or "-Infinity" ? "null" : formatted);
                break;
            case JsonValueKind.String:
                WriteString(text, node.GetValue<string>(), escapeLineSeparators);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in node.AsArray())
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    first = false;
                    Write(text, item, escapeLineSeparators);
                }

                text.Append(']');
                break;
            default:
                text.Append('{');
                var firstProperty = true;
                foreach (var (name, value) in node.AsObject())
                {
                    if (!firstProperty)
                    {
                        text.Append(',');
                    }

                    firstProperty = false;
                    WriteString(text, name, escapeLineSeparators);
                    text.Append(':');
                    Write(text, value, escapeLineSeparators);
                }

                text.Append('}');
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value, bool escapeLineSeparators)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\u2028' or '\u2029' when escapeLineSeparators:
                    AppendUnicodeEscape(text, c);
                    break;
                case < ' ':
                    AppendUnicodeEscape(text, c);
                    break;
                default:
                    if (char.IsSurrogate(c) && !IsPairedSurrogate(value, i))
                    {
                        AppendUnicodeEscape(text, c);
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static bool IsPairedSurrogate(string value, int index) =>
        char.IsHighSurrogate(value[index])
            ? index + 1 < value.Length && char.IsLowSurrogate(value[index + 1])
            : index > 0 && char.IsHighSurrogate(value[index - 1]);

    private static void AppendUnicodeEscape(StringBuilder text, char c) =>
        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
