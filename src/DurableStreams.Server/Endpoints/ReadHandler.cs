using DurableStreams.Server.Protocol;
using DurableStreams.Server.Sse;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace DurableStreams.Server.Endpoints;

/// <summary>GET: catch-up (§5.6), long-poll (§5.7), or hand-off to SSE (§5.8).</summary>
internal sealed class ReadHandler(
    IStreamStore store,
    DurableStreamsServerOptions options,
    CursorGenerator cursors,
    SseStreamWriter sse,
    IHostApplicationLifetime lifetime)
{
    public async Task HandleAsync(HttpContext context, string path)
    {
        var request = context.Request;
        var response = context.Response;

        var first = store.Head(path);
        if (first.Status != LookupStatus.Found)
        {
            await NotFoundOrGone(response, first.Status).ConfigureAwait(false);
            return;
        }

        var offsets = request.Query[StreamHeaders.OffsetQuery];
        string? offset = null;
        if (offsets.Count > 1)
        {
            await HttpResults.Error(response, 400, "Multiple offset parameters not allowed").ConfigureAwait(false);
            return;
        }
        if (offsets.Count == 1)
        {
            offset = offsets[0] ?? "";
            if (offset is not (Offsets.Start or Offsets.Now) && !Offsets.IsConcrete(offset))
            {
                await HttpResults.Error(response, 400, "Invalid offset format").ConfigureAwait(false);
                return;
            }
        }

        var live = request.Query[StreamHeaders.LiveQuery].ToString();
        var cursor = request.Query[StreamHeaders.CursorQuery].FirstOrDefault();
        var longPoll = live == "long-poll";
        if ((longPoll || live == "sse") && offset is null)
        {
            await HttpResults.Error(response, 400, "Live reads require an offset parameter").ConfigureAwait(false);
            return;
        }
        if (live == "sse")
        {
            await sse.WriteAsync(context, path, offset == Offsets.Now ? first.Stream!.TailOffset : offset!, cursor).ConfigureAwait(false);
            return;
        }
        if (live.Length > 0 && !longPoll)
        {
            await HttpResults.Error(response, 400, "Invalid live mode").ConfigureAwait(false);
            return;
        }

        if (offset == Offsets.Now && !longPoll)
        {
            // Reading at the tail returns nothing but still counts as a read for the TTL window.
            var atTail = store.Read(path, first.Stream!.TailOffset);
            await WriteNowAsync(response, atTail.Stream ?? first.Stream).ConfigureAwait(false);
            return;
        }

        var from = offset == Offsets.Now ? first.Stream!.TailOffset : offset;
        var read = store.Read(path, from, options.MaxReadBytes);
        if (read.Status != LookupStatus.Found)
        {
            await NotFoundOrGone(response, read.Status).ConfigureAwait(false);
            return;
        }

        if (longPoll && read.Messages.Count == 0 && from == read.Stream!.TailOffset)
        {
            if (!read.Stream.Closed)
            {
                // Shutdown ends the wait early (a 204), so stopping the server never waits out long-polls.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                await store.WaitForChangeAsync(path, from, options.LongPollTimeout, wait.Token).ConfigureAwait(false);
                read = store.Read(path, from, options.MaxReadBytes);
                if (read.Status != LookupStatus.Found)
                {
                    await NotFoundOrGone(response, read.Status).ConfigureAwait(false);
                    return;
                }
            }
            if (read.Messages.Count == 0)
            {
                // Timed out, or the stream closed at this offset: 204, with EOF when closed (§5.7).
                var headers = response.Headers;
                headers[StreamHeaders.NextOffset] = from;
                headers[StreamHeaders.UpToDate] = "true";
                if (read.Stream!.Closed) headers[StreamHeaders.Closed] = "true";
                else headers[StreamHeaders.Cursor] = cursors.Next(cursor);
                headers.CacheControl = "no-store";
                response.StatusCode = 204;
                return;
            }
        }

        await WriteDataAsync(context, path, offset ?? Offsets.Start, read, longPoll ? cursors.Next(cursor) : null).ConfigureAwait(false);
    }

    private async Task WriteDataAsync(HttpContext context, string path, string requestedOffset, ReadOutcome read, string? cursor)
    {
        var response = context.Response;
        var stream = read.Stream!;
        var next = read.Messages.Count > 0 ? read.Messages[^1].Offset : stream.TailOffset;
        // EOF only when this response reaches the tail of a closed stream (§5.6).
        var eof = read.UpToDate && stream.Closed && next == stream.TailOffset;
        var etag = ETags.For(path, stream.Generation, requestedOffset, next, eof);

        var headers = response.Headers;
        headers.ETag = etag;
        headers.CacheControl = options.CacheControl;
        headers[StreamHeaders.NextOffset] = next;
        if (read.UpToDate) headers[StreamHeaders.UpToDate] = "true";
        if (eof) headers[StreamHeaders.Closed] = "true";
        if (cursor is not null) headers[StreamHeaders.Cursor] = cursor;

        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            response.StatusCode = 304;
            return;
        }

        response.StatusCode = 200;
        response.ContentType = stream.ContentType;
        var body = FaultInjector.ModifyBody(context, MessageBodies.Format(stream.ContentType, read.Messages));
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>offset=now catch-up: nothing but the tail position, never cached (§8).</summary>
    private static Task WriteNowAsync(HttpResponse response, StreamSnapshot stream)
    {
        var headers = response.Headers;
        headers[StreamHeaders.NextOffset] = stream.TailOffset;
        headers[StreamHeaders.UpToDate] = "true";
        headers.CacheControl = "no-store";
        if (stream.Closed) headers[StreamHeaders.Closed] = "true";
        response.StatusCode = 200;
        response.ContentType = stream.ContentType;
        if (!ContentTypes.IsJson(stream.ContentType)) return Task.CompletedTask;
        return response.Body.WriteAsync("[]"u8.ToArray()).AsTask();
    }

    private static Task NotFoundOrGone(HttpResponse response, LookupStatus status) =>
        status == LookupStatus.Gone
            ? HttpResults.Error(response, 410, "Stream is gone")
            : HttpResults.Error(response, 404, "Stream not found");
}
