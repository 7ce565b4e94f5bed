namespace DurableStreams.Server.Webhooks;

/// <summary>How a webhook receiver (<c>MapDurableStreamsWebhook</c>) verifies and handles wake notifications.</summary>
public sealed class DurableStreamsWebhookOptions
{
    /// <summary>The name of the <see cref="HttpClient"/> taken from <c>IHttpClientFactory</c> when one is registered.</summary>
    public const string DefaultHttpClientName = "DurableStreams.Webhooks";

    /// <summary>
    /// The stream root of the Durable Streams server that sends the webhooks (for example
    /// <c>https://streams.example/v1/stream</c>): its JWKS is <c>{StreamRoot}/__ds/jwks.json</c> (§6.5) and the
    /// typed receiver reads the woken streams under it. Required unless <see cref="JwksUrl"/> is set.
    /// </summary>
    public Uri? StreamRoot { get; set; }

    /// <summary>
    /// The JWKS to verify signatures with, when it is not <c>{StreamRoot}/__ds/jwks.json</c>: the <c>jwks_url</c> of the
    /// subscription's <c>webhook.signing</c> metadata.
    /// </summary>
    public Uri? JwksUrl { get; set; }

    /// <summary>How old a signature's timestamp may be (§7.1 suggests five minutes). Default: 5 minutes.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a timestamp may be, for clocks that disagree a little. Default: 30 seconds.</summary>
    public TimeSpan AllowedClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether to remember accepted signatures until they leave the replay window and refuse the very same request
    /// again (per process). Default: on.
    /// </summary>
    public bool RejectReplays { get; set; } = true;

    /// <summary>How many accepted signatures the replay memory holds at most. Default: 100,000.</summary>
    public int ReplayMemoryCapacity { get; set; } = 100_000;

    /// <summary>The largest request body accepted (larger ones get 413 before verification). Default: 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Only wakes of these subscriptions are handled (others get 403 after their signature verified), for endpoints
    /// shared by several subscriptions (§12.10). Empty: any subscription of the server.
    /// </summary>
    public ISet<string> SubscriptionIds { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How long the keys are cached when the JWKS response has no <c>Cache-Control: max-age</c>. Default: 5 minutes.</summary>
    public TimeSpan DefaultKeyCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The least time between two JWKS re-fetches caused by an unknown key id (rotation), and between retries of a
    /// failed fetch. Default: 30 seconds.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one JWKS request. Default: 10 seconds.</summary>
    public TimeSpan KeyFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>IHttpClientFactory</c> client name for JWKS requests (and the typed receiver's reads when it creates its
    /// own stream client). Without a registered factory a private <see cref="HttpClient"/> is used.
    /// </summary>
    public string HttpClientName { get; set; } = DefaultHttpClientName;

    /// <summary>
    /// The client the typed receiver reads woken streams with. Default: the <see cref="DurableStreamClient"/> registered
    /// in DI, else one over <see cref="HttpClientName"/>.
    /// </summary>
    public DurableStreamClient? StreamClient { get; set; }

    /// <summary>The clock for timestamps and key caching. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The JWKS URL in force: <see cref="JwksUrl"/>, else derived from <see cref="StreamRoot"/>.</summary>
    internal Uri ResolveJwksUrl() =>
        JwksUrl ?? (StreamRoot is { } root
            ? new Uri(WithSlash(root), "__ds/jwks.json")
            : throw new InvalidOperationException("Set DurableStreamsWebhookOptions.StreamRoot (or JwksUrl) to verify webhook signatures."));

    internal static Uri WithSlash(Uri root) =>
        root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");

    internal void Validate()
    {
        if (StreamRoot is { IsAbsoluteUri: false }) throw new ArgumentException("StreamRoot must be an absolute URL.", nameof(StreamRoot));
        if (JwksUrl is { IsAbsoluteUri: false }) throw new ArgumentException("JwksUrl must be an absolute URL.", nameof(JwksUrl));
        _ = ResolveJwksUrl();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReplayWindow, TimeSpan.Zero, nameof(ReplayWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(AllowedClockSkew, TimeSpan.Zero, nameof(AllowedClockSkew));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplayMemoryCapacity, 1, nameof(ReplayMemoryCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1, nameof(MaxBodyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultKeyCacheDuration, TimeSpan.Zero, nameof(DefaultKeyCacheDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeyRefreshInterval, TimeSpan.Zero, nameof(KeyRefreshInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeyFetchTimeout, TimeSpan.Zero, nameof(KeyFetchTimeout));
        ArgumentException.ThrowIfNullOrEmpty(HttpClientName, nameof(HttpClientName));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
