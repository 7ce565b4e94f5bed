using Microsoft.AspNetCore.Cors.Infrastructure;

namespace DurableStreams.Server;

/// <summary>Where streams are kept.</summary>
public enum DurableStreamsStoreKind
{
    /// <summary>In process memory; everything is lost when the process stops.</summary>
    Memory,

    /// <summary>A journal in <see cref="DurableStreamsServerOptions.DataDirectory"/>, replayed on start.</summary>
    File,
}

/// <summary>Settings for the embedded Durable Streams server.</summary>
public sealed class DurableStreamsServerOptions
{
    /// <summary>The store; <see cref="DurableStreamsStoreKind.Memory"/> unless set.</summary>
    public DurableStreamsStoreKind Store { get; set; } = DurableStreamsStoreKind.Memory;

    /// <summary>The folder for <see cref="DurableStreamsStoreKind.File"/>; required for that store.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long a long-poll read waits for data before answering 204 (§5.7).</summary>
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long an SSE response stays open before the server ends it so clients reconnect (§10.2).</summary>
    public TimeSpan SseConnectionLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The cursor interval (§10.1).</summary>
    public TimeSpan CursorInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The cursor epoch (§10.1).</summary>
    public DateTimeOffset CursorEpoch { get; set; } = new(2024, 10, 9, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Cache-Control for catch-up and long-poll data; use "private, ..." for user-specific streams (§10.1).</summary>
    public string CacheControl { get; set; } = "public, max-age=60, stale-while-revalidate=300";

    /// <summary>The largest <see cref="MaxReadBytes"/> accepted: 1 GiB.</summary>
    public const long MaxReadBytesLimit = 1024L * 1024 * 1024;

    /// <summary>
    /// About how many message bytes one catch-up or long-poll response carries (whole messages, at least one);
    /// 64 MiB unless set, between 1 byte and <see cref="MaxReadBytesLimit"/>. A response that stops short omits
    /// Stream-Up-To-Date and the reader continues from its Stream-Next-Offset (§5.6). Some clients of other
    /// languages end a read with live mode off at the first such response and drop the rest, so the default is
    /// high enough that typical streams come whole in one response. SSE events stay at most 4 MiB each
    /// whatever this is.
    /// </summary>
    public long MaxReadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>The largest accepted request body, in bytes; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// The CORS policy <c>MapDurableStreams</c> requires on everything it maps (the app must call
    /// <c>app.UseCors()</c>, before <c>UseAuthorization</c> so preflights are answered without credentials).
    /// <see cref="DurableStreamsCors.DefaultPolicyName"/> unless set; another name must be a policy the app
    /// registers with <c>AddCors</c>; null leaves CORS entirely to the app.
    /// </summary>
    public string? CorsPolicyName { get; set; } = DurableStreamsCors.DefaultPolicyName;

    /// <summary>
    /// Builds the <see cref="DurableStreamsCors.DefaultPolicyName"/> policy instead of allowing any origin: the
    /// builder arrives with the protocol's methods and headers (<see cref="DurableStreamsCors.WithDurableStreamsProtocol"/>)
    /// and no origin, so this must choose them (e.g. <c>policy.WithOrigins("https://app.example")</c>).
    /// </summary>
    public Action<CorsPolicyBuilder>? ConfigureCorsPolicy { get; set; }

    /// <summary>
    /// Test only: serve <c>POST/DELETE /_test/inject-error</c> at the server root (the reference server's
    /// fault injection API) so client resilience tests can make chosen requests fail. It is mapped with the
    /// streams, so conventions on <c>MapDurableStreams</c>' builder (authorization, CORS) cover it too.
    /// Off by default; never enable in a shared deployment.
    /// </summary>
    public bool EnableTestFaultInjection { get; set; }

    /// <summary>Subscriptions (§6-7): webhooks (opt-in), their URL policy and signing key.</summary>
    public DurableStreamsSubscriptionOptions Subscriptions { get; set; } = new();
}
