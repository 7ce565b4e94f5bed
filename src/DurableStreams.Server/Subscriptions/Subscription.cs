using System.Text.Json.Serialization;

namespace DurableStreams.Server.Subscriptions;

/// <summary>A subscription's normalized configuration (what PUT compares by <see cref="Hash"/>).</summary>
internal sealed record SubscriptionConfig(
    string Type,
    string? Pattern,
    IReadOnlyList<string> Streams,
    string? WebhookUrl,
    string? WakeStream,
    int LeaseTtlMs,
    string? Description,
    string Hash)
{
    public const string WebhookType = "webhook";
    public const string PullWakeType = "pull-wake";

    [JsonIgnore]
    public bool IsWebhook => Type == WebhookType;
}

/// <summary>One stream's cursor in a subscription (§6.1).</summary>
internal sealed class StreamLink
{
    public required string Path { get; init; }
    public bool Explicit { get; set; }
    public bool Glob { get; set; }
    public required string AckedOffset { get; set; }

    /// <summary>The store's generation of the stream the cursor belongs to; 0 while the stream does not exist.</summary>
    public long StreamGeneration { get; set; }

    [JsonIgnore]
    public string LinkType => Explicit ? "explicit" : "glob";
}

/// <summary>The stream part of a wake: a link with the tail it had when the wake was issued.</summary>
internal sealed record WakeStream(string Path, string LinkType, string AckedOffset, string TailOffset)
{
    public bool HasPending => string.CompareOrdinal(TailOffset, AckedOffset) > 0;
}

/// <summary>
/// A subscription's whole state. Definitions, cursors, generation and retry schedule persist (file store);
/// the wake in flight and its lease are runtime only and cleared by a restart (pending work wakes again).
/// Only touched under the engine's lock.
/// </summary>
internal sealed class Subscription
{
    public required string Id { get; init; }

    /// <summary>The stream root's URL path (e.g. "/v1/stream") the subscription was created under.</summary>
    public required string Root { get; init; }

    /// <summary>Scheme and host the subscription was created through, for callback and JWKS URLs.</summary>
    public required string Origin { get; set; }

    public required SubscriptionConfig Config { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public Dictionary<string, StreamLink> Links { get; init; } = new(StringComparer.Ordinal);
    public long Generation { get; set; }
    public bool Failed { get; set; }
    public int RetryAttempt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }

    // The wake in flight (runtime only).
    [JsonIgnore] public string? WakeId { get; set; }
    [JsonIgnore] public string? Holder { get; set; }
    [JsonIgnore] public DateTimeOffset? LeaseExpiresAt { get; set; }
    [JsonIgnore] public IReadOnlyList<WakeStream>? Snapshot { get; set; }

    [JsonIgnore]
    public string Status => Failed ? "failed" : "active";

    public string FullPath(string relative) => Root + "/" + relative;

    public void ClearWake()
    {
        WakeId = null;
        Holder = null;
        LeaseExpiresAt = null;
        Snapshot = null;
    }
}
