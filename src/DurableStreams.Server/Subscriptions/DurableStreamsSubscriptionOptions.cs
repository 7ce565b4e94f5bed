namespace DurableStreams.Server;

/// <summary>
/// Settings for the protocol's subscriptions (§6-7), served under <c>{stream-root}/__ds/</c>. Pull-wake
/// subscriptions always work; webhook delivery makes the server call out over HTTP, so it is opt-in.
/// </summary>
public sealed class DurableStreamsSubscriptionOptions
{
    /// <summary>
    /// Accept <c>type: "webhook"</c> subscriptions and deliver their wakes by signed HTTP POST. Off unless set;
    /// while off such a PUT is refused with 400 <c>WEBHOOKS_DISABLED</c>.
    /// </summary>
    public bool EnableWebhooks { get; set; }

    /// <summary>
    /// Development only: accept webhook URLs on <c>localhost</c> and <c>127.0.0.x</c>, over http too. Off unless
    /// set, and then only public https URLs are accepted (no private, loopback or link-local addresses).
    /// </summary>
    public bool AllowLocalhostWebhooks { get; set; }

    /// <summary>
    /// The Ed25519 webhook signing key as its 32-byte private seed. Unless set, the file store keeps a generated
    /// key in its data folder (the same key after a restart) and the memory store generates one per process.
    /// </summary>
    public byte[]? WebhookSigningKey { get; set; }

    /// <summary>How long one webhook POST may take before it counts as failed; 10 seconds unless set.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often leases and webhook retries are checked; 100 ms unless set.</summary>
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
