using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableStreams.ConformanceAdapter.Protocol;

/// <summary>Writes one compact JSON object per line; line and paragraph separators stay escaped.</summary>
internal sealed class ResultWriter(Stream output)
{
    private static readonly JsonWriterOptions Options = new()
    {
        // The default encoder escapes U+2028/U+2029 (and all non-ASCII), so no raw separator reaches the runner.
        Encoder = JavaScriptEncoder.Default,
        Indented = false,
    };

    public void Write(JsonObject result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) result.WriteTo(writer);
        buffer.WriteByte((byte)'\n');
        output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        output.Flush();
    }
}
