using System.Text.Json;

namespace DurableStreams.Reading;

/// <summary>The JSON payload of an SSE <c>control</c> event.</summary>
internal readonly record struct SseControl(string NextOffset, string? Cursor, bool UpToDate, bool Closed)
{
    /// <summary>Parses a control payload; empty, invalid or offset-less payloads are fatal parse errors.</summary>
    public static SseControl Parse(ReadOnlySpan<byte> json, Uri url, string offset)
    {
        if (json.IsEmpty || json.Trim((byte)' ').IsEmpty)
            throw new DurableStreamParseException("SSE control event has no data.", url, offset);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new DurableStreamParseException("SSE control event is not a JSON object.", url, offset);
            string? next = null, cursor = null;
            bool upToDate = false, closed = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // Names are matched on the raw bytes: no string per property per event.
                if (reader.ValueTextEquals("streamNextOffset"u8))
                {
                    reader.Read();
                    next = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("streamCursor"u8))
                {
                    reader.Read();
                    cursor = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }
                else if (reader.ValueTextEquals("upToDate"u8))
                {
                    reader.Read();
                    upToDate = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("streamClosed"u8))
                {
                    reader.Read();
                    closed = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                throw new DurableStreamParseException("SSE control event is not a single JSON object.", url, offset);
            if (string.IsNullOrEmpty(next))
                throw new DurableStreamParseException("SSE control event has no streamNextOffset.", url, offset);
            // A closed stream at its final offset is up to date by definition.
            return new SseControl(next, cursor, upToDate || closed, closed);
        }
        catch (JsonException ex)
        {
            throw new DurableStreamParseException($"SSE control event is not valid JSON: {ex.Message}", url, offset, ex);
        }
    }
}
