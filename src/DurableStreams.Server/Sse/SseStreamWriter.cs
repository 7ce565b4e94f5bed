using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using DurableStreams.Server.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace DurableStreams.Server.Sse;

/// <summary>
/// SSE reads (§5.8): a data event per batch of messages (base64 for binary types), a control event after each
/// one, waits for new data, and ends the response at EOF or after the configured lifetime so CDNs can
/// collapse reconnects (§10.2). Events are written by hand rather than with SseFormatter because each one must
/// be flushed between store waits, and control payloads need exact field choice per state.
/// </summary>
internal sealed class SseStreamWriter(
    IStreamStore store,
    DurableStreamsServerOptions options,
    CursorGenerator cursors,
    TimeProvider clock,
    ServerMetrics metrics,
    IHostApplicationLifetime lifetime)
{
    /// <summary>The most message bytes one SSE event carries (at least one whole message), after any encoding.</summary>
    internal const long MaxEventBytes = 4 * 1024 * 1024;

    public async Task WriteAsync(HttpContext context, string path, string startOffset, string? clientCursor, Activity? activity)
    {
        // A live reader from the first byte to the last.
        var counted = metrics.LiveReaderJoined(context, ServerOperation.LiveSse);
        try
        {
            await StreamAsync(context, path, startOffset, clientCursor, activity).ConfigureAwait(false);
        }
        finally
        {
            if (counted) metrics.LiveReaderLeft(context, ServerOperation.LiveSse);
        }
    }

    /// <summary>Writes events until EOF, the lifetime, shutdown or the client leaving.</summary>
    private async Task StreamAsync(HttpContext context, string path, string startOffset, string? clientCursor, Activity? activity)
    {
        long sent = 0;
        var response = context.Response;
        var aborted = context.RequestAborted;
        var first = store.Head(path);
        if (first.Stream is null) return;
        var base64 = !ContentTypes.IsTextForSse(first.Stream.ContentType);

        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (base64) response.Headers[StreamHeaders.SseDataEncoding] = "base64";
        await response.StartAsync(aborted).ConfigureAwait(false);
        if (FaultInjector.SseEvent(context) is { } injected)
            await SendAsync(response, AppendEvent(new StringBuilder(), injected.EventType, injected.Data), aborted).ConfigureAwait(false);

        var offset = startOffset;
        var deadline = clock.GetUtcNow() + options.SseConnectionLifetime;
        // Events stay small whatever MaxReadBytes allows: SSE readers hold a whole event in memory before they
        // can use any of it, and a catch-up over SSE costs no extra requests when it comes in several events.
        var eventBytes = Math.Min(options.MaxReadBytes, base64 ? MaxEventBytes / 4 * 3 : MaxEventBytes);
        // Server shutdown ends the response like the lifetime does: clients reconnect from the last control event.
        using var live = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.ApplicationStopping);
        while (!live.IsCancellationRequested)
        {
            var read = store.Read(path, offset, eventBytes);
            if (read.Status != LookupStatus.Found) break;
            var stream = read.Stream!;

            // One data event per batch, always followed by its control event. Both go out in one write, so a
            // reader never holds a batch without the control event that commits it (nor stops between them).
            var events = new StringBuilder();
            if (read.Messages.Count > 0)
            {
                var payload = base64
                    ? Convert.ToBase64String(MessageBodies.Format(stream.ContentType, read.Messages))
                    : Encoding.UTF8.GetString(MessageBodies.Format(stream.ContentType, read.Messages));
                AppendEvent(events, "data", payload);
                offset = read.Messages[^1].Offset;
                metrics.Served(context, ServerOperation.LiveSse, read.Messages);
                if (activity is not null)
                {
                    // Kept current after every event: most connections end with the client leaving.
                    sent += Endpoints.ReadHandler.Count(read.Messages);
                    activity.SetMessageCount(sent);
                }
            }
            if (read.Messages.Count == 0) offset = Offsets.Compare(offset, stream.TailOffset) > 0 ? offset : stream.TailOffset;

            var eof = read.UpToDate && stream.Closed && Offsets.Compare(offset, stream.TailOffset) >= 0;
            AppendEvent(events, "control", Control(offset, eof ? null : cursors.Next(clientCursor), read.UpToDate, eof));
            await SendAsync(response, events, aborted).ConfigureAwait(false);
            activity.SetNextOffset(offset);
            activity.SetClosed(eof);
            if (eof) break;
            if (!read.UpToDate) continue;

            // Up to date: wait for a change, at most until the next heartbeat or the end of the lifetime. A wait
            // that ends the lifetime and brings no change ends the connection without another event: the control
            // event just sent is the last one. (Asking the clock again instead would loop here and send a burst
            // of identical control events, because a wait under a millisecond ends at once, before the deadline.)
            var remaining = deadline - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero) break;
            var last = remaining <= options.LongPollTimeout;
            var changed = await store.WaitForChangeAsync(path, offset, last ? remaining : options.LongPollTimeout, live.Token).ConfigureAwait(false);
            if (!changed && last) break;
        }
    }

    private static string Control(string offset, string? cursor, bool upToDate, bool closed)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("streamNextOffset", offset);
            if (cursor is not null) writer.WriteString("streamCursor", cursor);
            if (upToDate) writer.WriteBoolean("upToDate", true);
            if (closed) writer.WriteBoolean("streamClosed", true);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Appends one event; every line of a multi-line payload gets its own "data:" field.</summary>
    private static StringBuilder AppendEvent(StringBuilder builder, string type, string payload)
    {
        builder.Append("event: ").Append(type).Append('\n');
        foreach (var line in payload.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')) builder.Append("data:").Append(line).Append('\n');
        return builder.Append('\n');
    }

    private static async Task SendAsync(HttpResponse response, StringBuilder events, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(events.ToString()), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

}
