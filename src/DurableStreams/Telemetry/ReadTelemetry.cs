using System.Diagnostics;
using System.Net;
using DurableStreams.Http;

namespace DurableStreams.Telemetry;

/// <summary>
/// Read-side telemetry. Each GET (catch-up, long-poll) is a <c>receive {path}</c> span of its own
/// (see <see cref="RequestTelemetry"/>); an SSE connection is one <c>receive {path}</c> span that
/// lives as long as the connection, never current outside the read's own code.
/// </summary>
/// <remarks>
/// Lag: offsets are opaque and a read answer reports the tail only once the reader has reached it
/// (<c>Stream-Up-To-Date</c>), so "how far behind" is never a number the protocol gives. What is
/// known is reported: <c>durable_streams.client.readers.behind</c> (reads not yet caught up) and the
/// bytes and messages received on the way there.
/// </remarks>
internal static class ReadTelemetry
{
    /// <summary>Sends an SSE connection's request inside its own span; the span goes with the connection.</summary>
    public static async ValueTask<(HttpResponseMessage Response, Activity? Span)> ConnectSseAsync(
        ProtocolHttpClient http, StreamRequest request, CancellationToken cancellationToken)
    {
        var span = ClientTelemetry.Source.HasListeners()
            ? ClientTelemetry.Source.StartActivity(TelemetryNames.Receive + " " + request.Url.AbsolutePath, ActivityKind.Client)
            : null;
        if (span is null) return (await http.SendAsync(request, cancellationToken).ConfigureAwait(false), null);
        span.SetCustomProperty(ClientTelemetry.OuterSpanProperty, ClientTelemetry.OuterSpanProperty);
        if (span.IsAllDataRequested) RequestTelemetry.SetCommon(span, TelemetryNames.Receive, TelemetryNames.Receive, request.Url);
        try
        {
            return (await http.SendAsync(request, cancellationToken).ConfigureAwait(false), span);
        }
        catch
        {
            span.Stop(); // marked failed by the request
            throw;
        }
    }

    /// <summary>The connection ended without the read ending: it will be reopened.</summary>
    public static void SseReconnecting(Activity? span, Uri url, string reason, string detail)
    {
        if (ClientMetrics.SseReconnects.Enabled)
        {
            var tags = RequestTelemetry.BaseTags(TelemetryNames.Receive, url);
            tags.Add(TelemetryNames.ReconnectReason, reason);
            ClientMetrics.SseReconnects.Add(1, tags);
        }
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TelemetryNames.ReconnectReason, reason);
            span.AddEvent(new ActivityEvent(TelemetryNames.SseEndedEvent, tags: new ActivityTagsCollection
            {
                [TelemetryNames.ReconnectReason] = reason,
                ["exception.message"] = detail,
            }));
        }
    }

    /// <summary>Ends a connection's span with where the read stood.</summary>
    public static void SseClosed(Activity? span, string offset, bool upToDate, bool closed)
    {
        if (span is null || span.IsStopped) return;
        if (span.IsAllDataRequested)
        {
            span.SetTag(TelemetryNames.NextOffset, offset);
            span.SetTag(TelemetryNames.UpToDate, upToDate);
            if (closed) span.SetTag(TelemetryNames.StreamClosed, true);
        }
        ClientTelemetry.StopDetached(span);
    }

    /// <summary>A response body broke off before any of it was delivered: the batch is fetched again (a retry by reason).</summary>
    public static void Refetching(Uri url, DurableStreamException failure)
    {
        if (!ClientMetrics.Retries.Enabled) return;
        var tags = RequestTelemetry.BaseTags(TelemetryNames.Receive, url);
        tags.Add(TelemetryNames.RetryReason, RequestTelemetry.RetryReason(failure));
        ClientMetrics.Retries.Add(1, tags);
    }

    /// <summary>A long-poll answer: a 204 means the hold expired with nothing new.</summary>
    public static void LongPollAnswered(Uri url, HttpStatusCode status)
    {
        if (status != HttpStatusCode.NoContent || !ClientMetrics.LongPollTimeouts.Enabled) return;
        ClientMetrics.LongPollTimeouts.Add(1, RequestTelemetry.BaseTags(TelemetryNames.Receive, url));
    }

    /// <summary>Body bytes a read received.</summary>
    public static void Received(Uri url, long bytes)
    {
        if (bytes <= 0 || !ClientMetrics.ReceivedBytes.Enabled) return;
        ClientMetrics.ReceivedBytes.Add(bytes, RequestTelemetry.BaseTags(TelemetryNames.Receive, url));
    }

    /// <summary>Messages handed to the application.</summary>
    public static void Consumed(Uri url, long messages)
    {
        if (messages <= 0 || !ClientMetrics.ConsumedMessages.Enabled) return;
        var tags = RequestTelemetry.BaseTags(TelemetryNames.Receive, url);
        tags.Add(TelemetryNames.OperationType, TelemetryNames.Receive);
        ClientMetrics.ConsumedMessages.Add(messages, tags);
    }

    /// <summary>
    /// Keeps <c>readers.behind</c> right: a read counts while its last answer was not up to date
    /// (<paramref name="counted"/> remembers whether this one was added, so a listener attached midway
    /// never drives the sum negative).
    /// </summary>
    public static void Position(ref bool counted, bool upToDate, Uri url)
    {
        if (counted == !upToDate) return;
        if (!counted && !ClientMetrics.ReadersBehind.Enabled) return;
        counted = !counted;
        ClientMetrics.ReadersBehind.Add(counted ? 1 : -1, RequestTelemetry.BaseTags(TelemetryNames.Receive, url));
    }
}
