using System.Diagnostics;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Endpoints;

/// <summary>PUT: create a stream, re-confirm an identical one, or fork another (§5.1, §4.2).</summary>
internal sealed class CreateHandler(IStreamStore store, DurableStreamsServerOptions options, ServerMetrics metrics, ILogger<CreateHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string path, Activity? activity)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = request.Headers;

        string? forkedFrom = headers[StreamHeaders.ForkedFrom].FirstOrDefault();
        if (string.IsNullOrEmpty(forkedFrom)) forkedFrom = null;
        activity.SetTagIfSampled(Attributes.ForkSource, forkedFrom);
        var contentType = request.ContentType;
        if (!ContentTypes.LooksValid(contentType)) contentType = forkedFrom is null ? ContentTypes.OctetStream : null;

        var ttlHeader = headers[StreamHeaders.Ttl].FirstOrDefault();
        var expiresAtHeader = headers[StreamHeaders.ExpiresAt].FirstOrDefault();
        if (!string.IsNullOrEmpty(ttlHeader) && !string.IsNullOrEmpty(expiresAtHeader))
        {
            await HttpResults.Error(response, 400, "Cannot specify both Stream-TTL and Stream-Expires-At").ConfigureAwait(false);
            return;
        }
        long? ttl = null;
        if (!string.IsNullOrEmpty(ttlHeader))
        {
            if (!HeaderParsing.TryParseCanonical(ttlHeader, out var parsedTtl))
            {
                await HttpResults.Error(response, 400, "Invalid Stream-TTL value").ConfigureAwait(false);
                return;
            }
            ttl = parsedTtl;
        }
        if (string.IsNullOrEmpty(expiresAtHeader)) expiresAtHeader = null;
        else if (MemoryStreamStore.ParseExpiresAt(expiresAtHeader) is null)
        {
            await HttpResults.Error(response, 400, "Invalid Stream-Expires-At timestamp").ConfigureAwait(false);
            return;
        }

        var forkOffset = headers[StreamHeaders.ForkOffset].FirstOrDefault();
        if (string.IsNullOrEmpty(forkOffset)) forkOffset = null;
        else if (!Offsets.IsConcrete(forkOffset))
        {
            await HttpResults.Error(response, 400, "Invalid Stream-Fork-Offset format").ConfigureAwait(false);
            return;
        }

        long? subOffset = null;
        if (headers.TryGetValue(StreamHeaders.ForkSubOffset, out var subOffsetValues))
        {
            if (forkedFrom is null)
            {
                await HttpResults.Error(response, 400, "Stream-Fork-Sub-Offset requires Stream-Forked-From").ConfigureAwait(false);
                return;
            }
            if (!HeaderParsing.TryParseCanonical(subOffsetValues.FirstOrDefault(), out var parsedSub))
            {
                await HttpResults.Error(response, 400, "Invalid Stream-Fork-Sub-Offset format").ConfigureAwait(false);
                return;
            }
            subOffset = parsedSub;
        }

        var body = await HttpResults.ReadBodyAsync(request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await HttpResults.Error(response, 413, "Request body too large").ConfigureAwait(false);
            return;
        }

        var closed = StreamHeaders.IsTrue(headers[StreamHeaders.Closed].FirstOrDefault());
        var outcome = store.Create(path, new CreateRequest(contentType, ttl, expiresAtHeader, closed, body, forkedFrom, forkOffset, subOffset));
        switch (outcome.Status)
        {
            case CreateStatus.Created:
            case CreateStatus.AlreadyExists:
                var stream = outcome.Stream!;
                var created = outcome.Status == CreateStatus.Created;
                if (outcome.Messages > 0)
                {
                    metrics.Stored(context, forkedFrom is null ? ServerOperation.CreateStream : ServerOperation.ForkStream, outcome.Messages, outcome.Bytes);
                    activity.SetMessageCount(outcome.Messages);
                }
                activity.SetTagIfSampled(Attributes.ContentType, stream.ContentType);
                activity.SetNextOffset(stream.TailOffset);
                activity.SetClosed(stream.Closed);
                response.StatusCode = created ? 201 : 200;
                response.ContentType = stream.ContentType;
                response.Headers[StreamHeaders.NextOffset] = stream.TailOffset;
                if (created)
                {
                    response.Headers.Location = $"{request.Scheme}://{request.Host}{path}";
                    Log.StreamCreated(logger, path, stream.ContentType);
                }
                if (stream.Closed) response.Headers[StreamHeaders.Closed] = "true";
                return;
            case CreateStatus.SourceNotFound:
                await HttpResults.Error(response, 404, outcome.Error!).ConfigureAwait(false);
                return;
            case CreateStatus.InvalidForkOffset:
            case CreateStatus.InvalidForkSubOffset:
            case CreateStatus.InvalidJson:
                await HttpResults.Error(response, 400, outcome.Error!).ConfigureAwait(false);
                return;
            default:
                await HttpResults.Error(response, 409, outcome.Error!).ConfigureAwait(false);
                return;
        }
    }
}
