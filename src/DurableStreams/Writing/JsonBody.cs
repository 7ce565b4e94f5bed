using System.Text.Json;

namespace DurableStreams.Writing;

/// <summary>JSON-mode appends: each must be exactly one value, so that one append stores exactly one message.</summary>
internal static class JsonBody
{
    /// <summary>
    /// Rejects anything that is not exactly one JSON value before it is queued, so one bad item
    /// cannot fail every caller sharing its POST.
    /// </summary>
    public static void EnsureSingleValue(ReadOnlySpan<byte> json, string paramName)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) throw new ArgumentException("A JSON append needs a JSON value; the data is empty.", paramName);
            reader.Skip();
            if (reader.Read()) throw new ArgumentException("A JSON append takes exactly one JSON value; found more after the first.", paramName);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The data is not valid JSON: {ex.Message}", paramName, ex);
        }
    }
}
