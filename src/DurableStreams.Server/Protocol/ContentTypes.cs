namespace DurableStreams.Server.Protocol;

/// <summary>Content-type comparisons and the mode each type implies (§9).</summary>
internal static class ContentTypes
{
    public const string OctetStream = "application/octet-stream";
    public const string Json = "application/json";

    /// <summary>The media type without parameters, lower-cased: "application/json; charset=utf-8" → "application/json".</summary>
    public static string Normalize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return "";
        var semicolon = contentType.IndexOf(';');
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    public static bool AreSame(string? a, string? b) => Normalize(a) == Normalize(b);

    public static bool IsJson(string? contentType) => Normalize(contentType) == Json;

    /// <summary>SSE carries text and JSON as-is; everything else is base64 (§5.8).</summary>
    public static bool IsTextForSse(string? contentType)
    {
        var normalized = Normalize(contentType);
        return normalized.StartsWith("text/", StringComparison.Ordinal) || normalized == Json;
    }

    /// <summary>A "type/subtype" shape; anything else on PUT falls back to the default type.</summary>
    public static bool LooksValid(string? contentType)
    {
        var normalized = Normalize(contentType);
        var slash = normalized.IndexOf('/');
        return slash > 0 && slash < normalized.Length - 1 && normalized.IndexOf('/', slash + 1) < 0;
    }
}
