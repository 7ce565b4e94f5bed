using Microsoft.AspNetCore.Http;
using DurableStreams.Server.Protocol;

namespace DurableStreams.Server.Endpoints;

/// <summary>Security headers (§12.7) and permissive CORS on every response, errors and preflights included.</summary>
internal static class BrowserHeaders
{
    private const string AllowedMethods = "GET, POST, PUT, DELETE, HEAD, OPTIONS";

    private static readonly string AllowedHeaders = string.Join(", ",
        "Content-Type", "Authorization", "If-None-Match", StreamHeaders.Seq, StreamHeaders.Ttl, StreamHeaders.ExpiresAt, StreamHeaders.Closed,
        StreamHeaders.ProducerId, StreamHeaders.ProducerEpoch, StreamHeaders.ProducerSeq,
        StreamHeaders.ForkedFrom, StreamHeaders.ForkOffset, StreamHeaders.ForkSubOffset);

    private static readonly string ExposedHeaders = string.Join(", ",
        StreamHeaders.NextOffset, StreamHeaders.Cursor, StreamHeaders.UpToDate, StreamHeaders.Closed,
        StreamHeaders.ProducerEpoch, StreamHeaders.ProducerSeq, StreamHeaders.ProducerExpectedSeq, StreamHeaders.ProducerReceivedSeq,
        StreamHeaders.Ttl, StreamHeaders.ExpiresAt, StreamHeaders.SseDataEncoding, "ETag", "Content-Type", "Location");

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlExposeHeaders = ExposedHeaders;
    }
}
