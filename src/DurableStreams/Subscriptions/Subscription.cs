namespace DurableStreams.Subscriptions;

/// <summary>A subscription as the server reports it (<c>GET …/__ds/subscriptions/{id}</c>).</summary>
public sealed record Subscription
{
    /// <summary>The subscription id.</summary>
    public required string Id { get; init; }

    /// <summary>How wakes are delivered.</summary>
    public SubscriptionType Type { get; init; }

    /// <summary>The glob pattern, if any.</summary>
    public string? Pattern { get; init; }

    /// <summary>Every linked stream with its committed cursor.</summary>
    public IReadOnlyList<SubscriptionStreamLink> Streams { get; init; } = [];

    /// <summary>The webhook target (webhook subscriptions).</summary>
    public SubscriptionWebhook? Webhook { get; init; }

    /// <summary>The wake stream (pull-wake subscriptions).</summary>
    public string? WakeStream { get; init; }

    /// <summary>Lease length in milliseconds.</summary>
    public int LeaseTtlMs { get; init; }

    /// <summary>When the subscription was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Delivery health.</summary>
    public SubscriptionStatus Status { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }
}

/// <summary>One stream of a subscription and its committed cursor.</summary>
public sealed record SubscriptionStreamLink
{
    /// <summary>Stream-root-relative path (<c>events/abc</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Why the stream is linked.</summary>
    public SubscriptionLinkType LinkType { get; init; }

    /// <summary>
    /// The last processed position, inclusive: the next read of the stream starts here
    /// (<see cref="Offset.Beginning"/> for a stream discovered before it had data).
    /// </summary>
    public Offset AckedOffset { get; init; }
}

/// <summary>The outcome of <see cref="SubscriptionClient.CreateAsync"/>.</summary>
/// <param name="Subscription">The subscription as stored.</param>
/// <param name="Created"><see langword="true"/>: created now (201); <see langword="false"/>: an identical one existed and is re-confirmed (200).</param>
public sealed record SubscriptionCreateResult(Subscription Subscription, bool Created);
