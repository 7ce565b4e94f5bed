using System.Diagnostics;
using DurableStreams.Writing;

namespace DurableStreams.Telemetry;

/// <summary>
/// Traces appends that share POSTs. Each batched append gets a <c>create {path}</c> span (kind
/// Producer, the message's creation context) in its caller's context, lasting until its POST is
/// answered. The POST is one <c>send {path}</c> span (kind Client) carrying
/// <c>messaging.batch.message_count</c> and a link to every append's span; its parent is the first
/// append's span, so a lone append reads caller → create → send → HTTP.
/// </summary>
internal static class AppendTelemetry
{
    /// <summary>Starts the append's span in the caller's context, leaving the caller's current activity as it was.</summary>
    public static void Created(PendingAppend item, Uri url)
    {
        if (!ClientTelemetry.Source.HasListeners()) return;
        var previous = Activity.Current;
        var span = ClientTelemetry.Source.StartActivity(
            (item.Close ? TelemetryNames.CloseStream : TelemetryNames.Create) + " " + url.AbsolutePath, ActivityKind.Producer);
        if (span is null) return;
        if (span.IsAllDataRequested)
        {
            RequestTelemetry.SetCommon(span, item.Close ? TelemetryNames.CloseStream : TelemetryNames.Create,
                item.Close ? null : TelemetryNames.Create, url);
            if (item.Messages > 1) span.SetTag(TelemetryNames.BatchMessageCount, item.Messages);
        }
        item.Trace(span);
        Activity.Current = previous;
    }

    /// <summary>
    /// The span of one POST: outer (the request reports into it). Batched appends link it to their
    /// spans; an unbatched append is its own creation context (kind Producer).
    /// </summary>
    public static Activity? StartSend(IReadOnlyList<PendingAppend> batch, Uri url)
    {
        if (!ClientTelemetry.Source.HasListeners()) return null;
        var first = batch[0];
        var name = first.Close ? TelemetryNames.CloseStream : TelemetryNames.Send;
        var parent = first.Span;
        var messages = 0;
        List<ActivityLink>? links = null;
        foreach (var item in batch)
        {
            messages += item.Messages;
            if (item.Span is { } span) (links ??= new(batch.Count)).Add(new ActivityLink(span.Context));
        }
        // Unbatched, the POST runs in its caller's context and nests under the caller's activity.
        var activity = parent is null
            ? ClientTelemetry.Source.StartActivity(ActivityKind.Producer, default(ActivityContext), links: links, name: name + " " + url.AbsolutePath)
            : ClientTelemetry.Source.StartActivity(ActivityKind.Client, parent.Context, links: links, name: name + " " + url.AbsolutePath);
        if (activity is null) return null;
        activity.SetCustomProperty(ClientTelemetry.OuterSpanProperty, ClientTelemetry.OuterSpanProperty);
        if (activity.IsAllDataRequested)
        {
            RequestTelemetry.SetCommon(activity, name, first.Close && first.Data.IsEmpty ? null : TelemetryNames.Send, url);
            if (messages > 1) activity.SetTag(TelemetryNames.BatchMessageCount, messages);
        }
        return activity;
    }

    /// <summary>Counts what a POST carried (messages and bytes), stored or failed.</summary>
    public static void Sent(IReadOnlyList<PendingAppend> batch, Uri url, Exception? failure)
    {
        if (!ClientMetrics.SentMessages.Enabled && !ClientMetrics.SentBytes.Enabled) return;
        long messages = 0, bytes = 0;
        foreach (var item in batch)
        {
            if (item.Data.IsEmpty) continue; // a close without data sends no message
            messages += item.Messages;
            bytes += item.Data.Length;
        }
        if (messages == 0) return;
        Record(url, messages, bytes, failure);
    }

    /// <summary>An exception filter: counts the failed POST's messages and lets the exception pass on.</summary>
    public static bool Failed(IReadOnlyList<PendingAppend> batch, Uri url, Exception failure)
    {
        Sent(batch, url, failure);
        return false;
    }

    public static void Record(Uri url, long messages, long bytes, Exception? failure)
    {
        var tags = RequestTelemetry.BaseTags(TelemetryNames.Send, url);
        tags.Add(TelemetryNames.OperationType, TelemetryNames.Send);
        if (failure is not null)
        {
            tags.Add(TelemetryNames.ErrorType, RequestTelemetry.ErrorType(failure));
            ClientMetrics.SentMessages.Add(messages, tags);
            return;
        }
        ClientMetrics.SentMessages.Add(messages, tags);
        ClientMetrics.SentBytes.Add(bytes, tags);
    }

    /// <summary>Ends an append's span once its caller has the answer (or the append was cancelled while queued).</summary>
    public static void Completed(PendingAppend item, Exception? failure)
    {
        if (item.Span is not { } span || span.IsStopped) return;
        if (failure is not null) RequestTelemetry.MarkFailed(span, failure);
        ClientTelemetry.StopDetached(span);
    }
}
