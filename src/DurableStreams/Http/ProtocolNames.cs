namespace DurableStreams.Http;

/// <summary>Header and query-parameter names of the protocol, in one place.</summary>
internal static class ProtocolNames
{
    public const string NextOffset = "Stream-Next-Offset";
    public const string UpToDate = "Stream-Up-To-Date";
    public const string Closed = "Stream-Closed";
    public const string Cursor = "Stream-Cursor";
    public const string Seq = "Stream-Seq";
    public const string Ttl = "Stream-TTL";
    public const string ExpiresAt = "Stream-Expires-At";
    public const string ForkedFrom = "Stream-Forked-From";
    public const string ForkOffset = "Stream-Fork-Offset";
    public const string ForkSubOffset = "Stream-Fork-Sub-Offset";
    public const string SseDataEncoding = "Stream-SSE-Data-Encoding";
    public const string ProducerId = "Producer-Id";
    public const string ProducerEpoch = "Producer-Epoch";
    public const string ProducerSeq = "Producer-Seq";
    public const string ProducerExpectedSeq = "Producer-Expected-Seq";
    public const string ProducerReceivedSeq = "Producer-Received-Seq";

    public const string OffsetParam = "offset";
    public const string LiveParam = "live";
    public const string CursorParam = "cursor";
    /// <summary>A random value that makes a request's URL unique, so no cache can answer it (fast-loop protection).</summary>
    public const string CacheBusterParam = "cache_buster";

    public const string JsonMediaType = "application/json";
    public const string OctetStream = "application/octet-stream";

    /// <summary>The parameters the client owns; user-supplied values never override them.</summary>
    public static bool IsReserved(string queryName) =>
        queryName is OffsetParam or LiveParam or CursorParam or CacheBusterParam;

    /// <summary>JSON mode applies when the media type (before any parameters) is application/json.</summary>
    public static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var semicolon = contentType.IndexOf(';');
        var media = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return media.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase);
    }
}
