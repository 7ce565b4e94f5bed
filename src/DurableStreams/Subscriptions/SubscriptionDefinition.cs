namespace DurableStreams.Subscriptions;

/// <summary>
/// What a subscription is (the body of <c>PUT …/__ds/subscriptions/{id}</c>): which streams it covers and how
/// it wakes its workers. Creating the same id again with an equal definition re-confirms it; a different one is
/// refused (<see cref="SubscriptionConflictException"/>).
/// </summary>
public sealed record SubscriptionDefinition
{
    /// <summary>How wakes are delivered.</summary>
    public required SubscriptionType Type { get; init; }

    /// <summary>
    /// Glob over stream-root-relative paths (<c>*</c>: one segment, <c>**</c>: any number). Streams that already
    /// match are linked at their current tail, so creation does not replay history.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>Explicit stream-root-relative paths, in addition to <see cref="Pattern"/>; linked at their current tail.</summary>
    public IReadOnlyList<string>? Streams { get; init; }

    /// <summary>Where webhook wakes go; required for <see cref="SubscriptionType.Webhook"/>.</summary>
    public SubscriptionWebhook? Webhook { get; init; }

    /// <summary>
    /// The stream-root-relative path of the JSON stream that receives wake events; required for
    /// <see cref="SubscriptionType.PullWake"/>. The application creates it.
    /// </summary>
    public string? WakeStream { get; init; }

    /// <summary>Lease length in milliseconds (1000 to 600000); the server's default (30 s) when absent.</summary>
    public int? LeaseTtlMs { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>A pull-wake subscription over <paramref name="pattern"/> and/or <paramref name="streams"/>.</summary>
    public static SubscriptionDefinition PullWake(string wakeStream, string? pattern = null, IReadOnlyList<string>? streams = null) =>
        new() { Type = SubscriptionType.PullWake, WakeStream = wakeStream, Pattern = pattern, Streams = streams };

    /// <summary>A webhook subscription over <paramref name="pattern"/> and/or <paramref name="streams"/>.</summary>
    public static SubscriptionDefinition ForWebhook(Uri url, string? pattern = null, IReadOnlyList<string>? streams = null) =>
        new() { Type = SubscriptionType.Webhook, Webhook = new SubscriptionWebhook { Url = url }, Pattern = pattern, Streams = streams };

    internal void Validate()
    {
        if (Pattern is null && Streams is not { Count: > 0 })
            throw new ArgumentException("A subscription needs a Pattern, Streams, or both.");
        if (Type == SubscriptionType.PullWake && string.IsNullOrEmpty(WakeStream))
            throw new ArgumentException("A pull-wake subscription needs a WakeStream.");
        if (Type == SubscriptionType.Webhook && Webhook?.Url is null)
            throw new ArgumentException("A webhook subscription needs Webhook.Url.");
        if (LeaseTtlMs is < 1000 or > 600_000)
            throw new ArgumentOutOfRangeException(nameof(LeaseTtlMs), LeaseTtlMs, "The protocol allows 1000 to 600000 ms.");
    }
}

/// <summary>The webhook target of a subscription, with the server's signing metadata when it reports it.</summary>
public sealed record SubscriptionWebhook
{
    /// <summary>The URL that receives wake notifications.</summary>
    public required Uri Url { get; init; }

    /// <summary>How the server signs deliveries (read model only; never sent).</summary>
    public SubscriptionWebhookSigning? Signing { get; init; }
}

/// <summary>How a server signs webhook deliveries (<c>webhook.signing</c>).</summary>
public sealed record SubscriptionWebhookSigning
{
    /// <summary>Signature algorithm (<c>ed25519</c>).</summary>
    public string? Alg { get; init; }

    /// <summary>The active signing key's id when the subscription was serialized; verify with each delivery's own <c>kid</c>.</summary>
    public string? Kid { get; init; }

    /// <summary>Where the server publishes its public keys (a JWK Set).</summary>
    public Uri? JwksUrl { get; init; }
}
