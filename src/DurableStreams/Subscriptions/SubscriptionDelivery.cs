namespace DurableStreams.Subscriptions;

/// <summary>One stream of a wake: its committed cursor, its tail, and whether there is anything between.</summary>
public sealed record SubscriptionStreamState
{
    /// <summary>Stream-root-relative path (<c>events/abc</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Why the stream is linked.</summary>
    public SubscriptionLinkType LinkType { get; init; }

    /// <summary>The last processed position, inclusive: read the stream from here.</summary>
    public Offset AckedOffset { get; init; }

    /// <summary>The stream's tail when the server answered.</summary>
    public Offset TailOffset { get; init; }

    /// <summary>Whether the tail is past the acked offset.</summary>
    public bool HasPending { get; init; }
}

/// <summary>A successful claim of a pull-wake subscription: the lease and what it covers.</summary>
public sealed record SubscriptionClaim
{
    /// <summary>The wake this lease belongs to.</summary>
    public required string WakeId { get; init; }

    /// <summary>The fencing generation of the wake.</summary>
    public long Generation { get; init; }

    /// <summary>The bearer token for acks and the release of this wake (a credential: never log it).</summary>
    public required string Token { get; init; }

    /// <summary>Every linked stream with its cursor and tail.</summary>
    public IReadOnlyList<SubscriptionStreamState> Streams { get; init; } = [];

    /// <summary>Lease length in milliseconds: ack (the heartbeat) well within it.</summary>
    public int LeaseTtlMs { get; init; }
}

/// <summary>Moves one stream's cursor: <paramref name="Offset"/> is the last processed position, inclusive.</summary>
/// <param name="Stream">Stream-root-relative path.</param>
/// <param name="Offset">
/// A server-issued offset (never a sentinel and never one with <see cref="Offset.Skip"/>): the
/// <see cref="StreamEvent{T}.Position"/> of the last processed message at the end of its delivery; the next
/// read of the stream starts right after it.
/// </param>
public sealed record SubscriptionAck(string Stream, Offset Offset);

/// <summary>The answer to an ack or a callback.</summary>
public sealed record SubscriptionAckResult
{
    /// <summary>Whether the server applied it.</summary>
    public bool Ok { get; init; }

    /// <summary>After <c>done</c>: whether pending work remained, so the server issued a new wake at once.</summary>
    public bool NextWake { get; init; }
}

/// <summary>A wake event as the server writes it to a pull-wake subscription's wake stream.</summary>
public sealed record SubscriptionWakeEvent
{
    /// <summary>The event type (<c>wake</c>).</summary>
    public string? Type { get; init; }

    /// <summary>Which subscription woke (several may share one wake stream).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The stream whose append caused the wake.</summary>
    public string? Stream { get; init; }

    /// <summary>The wake's generation.</summary>
    public long Generation { get; init; }

    /// <summary>When the wake was written, in Unix milliseconds.</summary>
    public long Ts { get; init; }
}

/// <summary>The body of a webhook wake (what the server POSTs to <see cref="SubscriptionWebhook.Url"/>).</summary>
public sealed record SubscriptionWebhookNotification
{
    /// <summary>Which subscription woke.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>The wake.</summary>
    public required string WakeId { get; init; }

    /// <summary>The wake's fencing generation.</summary>
    public long Generation { get; init; }

    /// <summary>Every linked stream with its cursor and tail.</summary>
    public IReadOnlyList<SubscriptionStreamState> Streams { get; init; } = [];

    /// <summary>Where to send acks and <c>done</c> for this wake.</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>The bearer token for the callback (a credential: never log it).</summary>
    public string? CallbackToken { get; init; }
}
