using System.Diagnostics;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Sse;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
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
    ServerMetrics metrics,
    IHostApplicationLifetime lifetime)
{
    public async Task HandleAsync(HttpContext context, string path, Activity? activity)
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

        activity.SetOffset(offset);
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
            await sse.WriteAsync(context, path, offset == Offsets.Now ? first.Stream!.TailOffset : offset!, cursor, activity).ConfigureAwait(false);
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
            activity.SetNextOffset((atTail.Stream ?? first.Stream).TailOffset);
            await WriteNowAsync(response, atTail.Stream ?? first.Stream).ConfigureAwait(false);
            return;
        }

        // A long-poll is a live reader for as long as its request lasts, waiting or not.
        var counted = longPoll && metrics.LiveReaderJoined(context, ServerOperation.LiveLongPoll);
        try
        {
            await CatchUpOrLongPollAsync(context, path, offset, longPoll, cursor, first.Stream!, activity).ConfigureAwait(false);
        }
        finally
        {
            if (counted) metrics.LiveReaderLeft(context, ServerOperation.LiveLongPoll);
        }
    }

    private async Task CatchUpOrLongPollAsync(HttpContext context, string path, string? offset, bool longPoll, string? cursor, StreamSnapshot first, Activity? activity)
    {
        var response = context.Response;

        var from = offset == Offsets.Now ? first.TailOffset : offset;
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
                activity.SetNextOffset(from);
                activity.SetClosed(read.Stream!.Closed);
                headers[StreamHeaders.NextOffset] = from;
                headers[StreamHeaders.UpToDate] = "true";
                if (read.Stream!.Closed) headers[StreamHeaders.Closed] = "true";
                else headers[StreamHeaders.Cursor] = cursors.Next(cursor);
                headers.CacheControl = "no-store";
                response.StatusCode = 204;
                return;
            }
        }

        await WriteDataAsync(context, path, offset ?? Offsets.Start, read, longPoll ? cursors.Next(cursor) : null, activity).ConfigureAwait(false);
    }

    private async Task WriteDataAsync(HttpContext context, string path, string requestedOffset, ReadOutcome read, string? cursor, Activity? activity)
    {
        var response = context.Response;
        var stream = read.Stream!;
        var next = read.Messages.Count > 0 ? read.Messages[^1].Offset : stream.TailOffset;
        // EOF only when this response reaches the tail of a closed stream (§5.6).
        var eof = read.UpToDate && stream.Closed && next == stream.TailOffset;
        var etag = ETags.For(path, stream.Generation, requestedOffset, next, eof);
        activity.SetNextOffset(next);
        activity.SetClosed(eof);

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
        metrics.Served(context, cursor is null ? ServerOperation.LiveOff : ServerOperation.LiveLongPoll, read.Messages);
        if (activity is not null) activity.SetMessageCount(Count(read.Messages));
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

    internal static long Count(IReadOnlyList<StoredMessage> messages)
    {
        long count = 0;
        foreach (var message in messages) count += message.Count;
        return count;
    }

    private static Task NotFoundOrGone(HttpResponse response, LookupStatus status) =>
        status == LookupStatus.Gone
            ? HttpResults.Error(response, 410, "Stream is gone")
            : HttpResults.Error(response, 404, "Stream not found");
}
