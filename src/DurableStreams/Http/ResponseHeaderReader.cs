using System.Globalization;
using System.Net.Http.Headers;

namespace DurableStreams.Http;

/// <summary>Reads protocol headers off a response without allocating more than the values.</summary>
internal static class ResponseHeaderReader
{
    // NonValidated lookups hand back the stored strings: no parsing and no enumerable per read.
    public static string? Get(HttpResponseMessage response, string name)
    {
        if (response.Headers.NonValidated.TryGetValues(name, out var values)) return First(values);
        if (response.Content is not null && response.Content.Headers.NonValidated.TryGetValues(name, out values)) return First(values);
        return null;
    }

    private static string? First(HeaderStringValues values)
    {
        foreach (var v in values) return v;
        return null;
    }

    /// <summary>The <c>Stream-Next-Offset</c> token, or null when the response has none.</summary>
    public static Offset? NextOffset(HttpResponseMessage response) =>
        Get(response, ProtocolNames.NextOffset) is { Length: > 0 } token ? new Offset(token) : default(Offset?);

    /// <summary>Only the value <c>true</c> (any case) counts; anything else means absent.</summary>
    public static bool Flag(HttpResponseMessage response, string name) =>
        string.Equals(Get(response, name)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static long? Int64(HttpResponseMessage response, string name) =>
        long.TryParse(Get(response, name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The content type exactly as the server sent it.</summary>
    public static string? ContentType(HttpResponseMessage response)
    {
        if (response.Content is null) return null;
        return response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? First(values) : null;
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        RetryConditionHeaderValue? retryAfter = response.Headers.RetryAfter;
        if (retryAfter is null) return null;
        if (retryAfter.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
