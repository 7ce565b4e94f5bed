using System.Text;
using System.Text.Json;

namespace DurableStreams.Benchmarks.Fixtures;

/// <summary>Builds the byte bodies the benchmarks serve: JSON arrays of records and SSE event sequences.</summary>
public static class Payloads
{
    /// <summary>A record whose JSON form is about 100 bytes.</summary>
    public static Record Sample(int caller, int seq) => new(caller, seq, 1_700_000_000_000 + seq, new string('x', 48));

    /// <summary>A JSON array of records at least <paramref name="targetBytes"/> long (what a JSON-mode read returns).</summary>
    public static byte[] JsonArray(int targetBytes, out int count)
    {
        using var buffer = new MemoryStream(targetBytes + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            count = 0;
            while (writer.BytesCommitted + writer.BytesPending < targetBytes)
            {
                JsonSerializer.Serialize(writer, Sample(count % 64, count), BenchJsonContext.Default.Record);
                count++;
            }
            writer.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// An SSE body as the server writes it: each data event carries a JSON array of
    /// <paramref name="perEvent"/> records and is followed by a control event; the last control closes the stream.
    /// </summary>
    public static byte[] SseEvents(int events, int perEvent)
    {
        var text = new StringBuilder();
        var seq = 0;
        for (var e = 0; e < events; e++)
        {
            var records = new Record[perEvent];
            for (var i = 0; i < perEvent; i++) records[i] = Sample(i, seq++);
            text.Append("event: data\ndata: ").Append(JsonSerializer.Serialize(records, BenchJsonContext.Default.RecordArray)).Append("\n\n");
            var closed = e == events - 1 ? "true" : "false";
            text.Append("event: control\ndata: {\"streamNextOffset\":\"0000000000000000_")
                .Append(seq.ToString("D16", System.Globalization.CultureInfo.InvariantCulture))
                .Append("\",\"streamCursor\":\"1\",\"upToDate\":true,\"streamClosed\":").Append(closed).Append("}\n\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
