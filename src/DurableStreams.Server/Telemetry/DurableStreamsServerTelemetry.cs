namespace DurableStreams.Server;

/// <summary>
/// Names under which the embedded server publishes its traces, metrics and health, for OpenTelemetry's
/// <c>AddSource(...)</c> and <c>AddMeter(...)</c>. Nothing is recorded while no listener is attached.
/// </summary>
public static class DurableStreamsServerTelemetry
{
    /// <summary>The server's <see cref="System.Diagnostics.ActivitySource"/> name: <c>DurableStreams.Server</c>.</summary>
    public const string ActivitySourceName = "DurableStreams.Server";

    /// <summary>The server's <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>DurableStreams.Server</c>.</summary>
    public const string MeterName = "DurableStreams.Server";

    /// <summary>The value of <c>messaging.system</c> on every span and instrument: <c>durable_streams</c> (as the client's).</summary>
    public const string MessagingSystem = "durable_streams";

    /// <summary>The name <c>AddDurableStreamsServerStore()</c> gives the health check unless told otherwise: <c>durable-streams-server-store</c>.</summary>
    public const string HealthCheckName = "durable-streams-server-store";
}
