using DurableStreams;
using DurableStreams.Extensions.Hosting.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

// Extension methods live in the namespace of what they extend, so they show up without extra usings.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Health checks of a Durable Streams server, through a client registered with <c>AddDurableStreams</c>:
/// <c>services.AddHealthChecks().AddDurableStream("orders")</c>. Each run sends one HEAD with the client's
/// HttpClient, headers, query parameters and on-error hook, but without its retries, within a timeout.
/// </summary>
public static class DurableStreamsHealthChecksBuilderExtensions
{
    /// <summary>How long a probe waits for its answer unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks that the stream at <paramref name="streamPath"/> (relative to the client's base address, or an
    /// absolute URL) exists: healthy on a successful HEAD; <paramref name="failureStatus"/> (default
    /// <see cref="HealthStatus.Unhealthy"/>) when it is missing, the server fails or cannot be reached, or
    /// no answer comes within <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="streamPath">The stream to probe.</param>
    /// <param name="clientName">The named client to use (as given to <c>AddDurableStreams(name, ...)</c>); null: the default client.</param>
    /// <param name="name">The health check's name; default <c>durable-stream:</c> and the path.</param>
    /// <param name="failureStatus">The status reported when the check fails.</param>
    /// <param name="tags">Tags to filter health checks by (readiness, liveness).</param>
    /// <param name="timeout">How long the probe waits for its answer.</param>
    public static IHealthChecksBuilder AddDurableStream(this IHealthChecksBuilder builder, string streamPath, string? clientName = null,
        string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamPath);
        return Add(builder, streamPath, clientName, name ?? "durable-stream:" + CheckNames.PathOnly(streamPath), failureStatus, tags, timeout);
    }

    /// <summary>
    /// Checks that the Durable Streams server behind the client's base address answers: healthy on any
    /// answer below 500 to a HEAD of the base address; <paramref name="failureStatus"/> (default
    /// <see cref="HealthStatus.Unhealthy"/>) on a server error, a network failure or no answer within
    /// <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientName">The named client to use (as given to <c>AddDurableStreams(name, ...)</c>); null: the default client.</param>
    /// <param name="name">The health check's name; default <c>durable-streams-server</c> (with the client's name).</param>
    /// <param name="failureStatus">The status reported when the check fails.</param>
    /// <param name="tags">Tags to filter health checks by (readiness, liveness).</param>
    /// <param name="timeout">How long the probe waits for its answer.</param>
    public static IHealthChecksBuilder AddDurableStreamsServer(this IHealthChecksBuilder builder, string? clientName = null,
        string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null) =>
        Add(builder, streamPath: null, clientName, name ?? (string.IsNullOrEmpty(clientName) ? "durable-streams-server" : "durable-streams-server:" + clientName),
            failureStatus, tags, timeout);

    private static IHealthChecksBuilder Add(IHealthChecksBuilder builder, string? streamPath, string? clientName, string name,
        HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var wait = timeout ?? DefaultTimeout;
        if (wait <= TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        return builder.Add(new HealthCheckRegistration(name, provider => Create(provider, clientName, streamPath, wait), failureStatus, tags));
    }

    /// <summary>
    /// The check for one run. A setup problem (no such client, invalid options) becomes that check's failure
    /// with the reason: thrown from here, it would fail the whole health report rather than this entry.
    /// </summary>
    private static IHealthCheck Create(IServiceProvider provider, string? clientName, string? streamPath, TimeSpan timeout)
    {
        try
        {
            return CreateChecked(provider, clientName, streamPath, timeout);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OptionsValidationException or ArgumentException)
        {
            return new MisconfiguredHealthCheck(ex);
        }
    }

    private static DurableStreamHealthCheck CreateChecked(IServiceProvider provider, string? clientName, string? streamPath, TimeSpan timeout)
    {
        var registered = string.IsNullOrEmpty(clientName)
            ? provider.GetService<DurableStreamClient>()
            : provider.GetKeyedService<DurableStreamClient>(clientName);
        if (registered is null)
            throw new InvalidOperationException(string.IsNullOrEmpty(clientName)
                ? "No Durable Streams client is registered: call services.AddDurableStreams(...) before AddDurableStream health checks."
                : $"No Durable Streams client named '{clientName}' is registered: call services.AddDurableStreams(\"{clientName}\", ...).");

        // The registered client's options and HttpClient, minus its retries: a probe answers now.
        var options = provider.GetRequiredService<IOptionsFactory<DurableStreamClientOptions>>()
            .Create(string.IsNullOrEmpty(clientName) ? Options.Options.DefaultName : clientName);
        options.Retry.MaxRetries = 0;
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var httpClientName = DurableStreamsServiceCollectionExtensions.HttpClientNameFor(clientName);
        return new DurableStreamHealthCheck(new DurableStreamClient(() => factory.CreateClient(httpClientName), options), streamPath, timeout);
    }

    private sealed class MisconfiguredHealthCheck(Exception problem) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, problem.Message, problem));
    }

    private static class CheckNames
    {
        /// <summary>A path or URL without its query string, user info or fragment, for a check's name.</summary>
        public static string PathOnly(string pathOrUrl)
        {
            if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute)) return absolute.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            var end = pathOrUrl.AsSpan().IndexOfAny('?', '#');
            return end < 0 ? pathOrUrl : pathOrUrl[..end];
        }
    }
}
