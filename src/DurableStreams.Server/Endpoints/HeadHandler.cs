using System.Diagnostics;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Endpoints;

/// <summary>HEAD: metadata only, never cached, never resets the TTL (§5.5).</summary>
internal sealed class HeadHandler(IStreamStore store)
{
    public void Handle(HttpContext context, string path, Activity? activity)
    {
        var response = context.Response;
        var outcome = store.Head(path);
        if (outcome.Status != LookupStatus.Found)
        {
            response.StatusCode = outcome.Status == LookupStatus.Gone ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound;
            return;
        }

        var stream = outcome.Stream!;
        activity.SetNextOffset(stream.TailOffset);
        activity.SetClosed(stream.Closed);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = stream.ContentType;
        var headers = response.Headers;
        headers[StreamHeaders.NextOffset] = stream.TailOffset;
        headers.CacheControl = "no-store";
        if (stream.Closed) headers[StreamHeaders.Closed] = "true";
        if (stream.TtlSeconds is { } ttl) headers[StreamHeaders.Ttl] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (stream.ExpiresAt is { } expiresAt) headers[StreamHeaders.ExpiresAt] = expiresAt;
        headers.ETag = ETags.For(path, stream.Generation, Offsets.Start, stream.TailOffset, stream.Closed);
    }
}
