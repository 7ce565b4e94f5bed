using DurableStreams.Server;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the embedded server's health check. (The client package's <c>AddDurableStreamsServer()</c> on the same
/// builder is another check: that a remote server answers a client.)
/// </summary>
public static class DurableStreamsServerHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the server's store can take writes: the memory store is always healthy; the file store
    /// reports <paramref name="failureStatus"/> (Unhealthy unless set) when its data directory or journal is gone,
    /// not writable, or its last journal write failed, and Degraded when the disk has less free space than
    /// <see cref="DurableStreamsServerOptions.MaxRequestBodyBytes"/>. Needs <c>AddDurableStreamsServer()</c>.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name; <see cref="DurableStreamsServerTelemetry.HealthCheckName"/> unless set.</param>
    /// <param name="failureStatus">The status of a failed check; Unhealthy unless set.</param>
    /// <param name="tags">Tags for filtering checks (e.g. "ready") in <c>MapHealthChecks</c>.</param>
    /// <param name="timeout">How long the check may take.</param>
    public static IHealthChecksBuilder AddDurableStreamsServerStore(
        this IHealthChecksBuilder builder,
        string name = DurableStreamsServerTelemetry.HealthCheckName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new DurableStreamsServerHealthCheck(
                provider.GetService<IStreamStore>() ?? throw new InvalidOperationException("Call services.AddDurableStreamsServer() before adding its health check."),
                provider.GetRequiredService<DurableStreamsServerOptions>()),
            failureStatus,
            tags,
            timeout));
    }
}
