namespace DurableStreams.Server.Webhooks;

/// <summary>A verified wake notification (§7.1): which subscription woke, for which generation, and its streams.</summary>
public sealed class WebhookWake
{
    internal WebhookWake(string subscriptionId, string wakeId, long generation, IReadOnlyList<WebhookWakeStream> streams,
        Uri callbackUrl, string callbackToken)
    {
        SubscriptionId = subscriptionId;
        WakeId = wakeId;
        Generation = generation;
        Streams = streams;
        CallbackUrl = callbackUrl;
        CallbackToken = callbackToken;
    }

    /// <summary>The subscription that woke.</summary>
    public string SubscriptionId { get; }

    /// <summary>This wake's id: the callback names it, and a callback for another wake is fenced.</summary>
    public string WakeId { get; }

    /// <summary>The subscription's fencing generation for this wake.</summary>
    public long Generation { get; }

    /// <summary>Every stream of the subscription with its acked and tail offsets at the time of the wake.</summary>
    public IReadOnlyList<WebhookWakeStream> Streams { get; }

    /// <summary>Where to finish the wake asynchronously (acks, <c>done</c>) with <see cref="CallbackToken"/>.</summary>
    public Uri CallbackUrl { get; }

    /// <summary>
    /// The bearer token for <see cref="CallbackUrl"/>, valid for this subscription and generation only. Send it in the
    /// <c>Authorization</c> header, never in a URL, and do not log it (§12.9).
    /// </summary>
    public string CallbackToken { get; }

    /// <inheritdoc />
    public override string ToString() => $"wake {WakeId} of {SubscriptionId} (generation {Generation}, {Streams.Count} streams)";
}

/// <summary>One stream of a wake notification.</summary>
/// <param name="Path">The stream-root-relative path, for example <c>orders/eu</c>.</param>
/// <param name="LinkType"><c>glob</c> when linked by the subscription's pattern, <c>explicit</c> when listed.</param>
/// <param name="AckedOffset">The last processed offset (inclusive): reading from it returns the unprocessed messages.</param>
/// <param name="TailOffset">The stream's tail when the wake was issued: a synchronous <c>done</c> acks up to it.</param>
/// <param name="HasPending">Whether the stream has messages after <paramref name="AckedOffset"/>.</param>
public sealed record WebhookWakeStream(string Path, string LinkType, Offset AckedOffset, Offset TailOffset, bool HasPending);

/// <summary>How a webhook handler finished with a wake.</summary>
public enum WebhookOutcome
{
    /// <summary>Processed: the endpoint answers <c>{"done": true}</c> and the server acks the wake's tail offsets and releases it.</summary>
    Done,

    /// <summary>
    /// Taken on, to be finished later: the endpoint answers 202 without <c>done</c>, and the application calls the wake's
    /// callback with its token, acks and <c>done</c> before the lease expires.
    /// </summary>
    Accepted,
}
