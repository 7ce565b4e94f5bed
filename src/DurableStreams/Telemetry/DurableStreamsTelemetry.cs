namespace DurableStreams;

/// <summary>
/// Names under which the client publishes its traces and metrics, for OpenTelemetry's
/// <c>AddSource(...)</c> and <c>AddMeter(...)</c>. Nothing is recorded or allocated while no listener
/// is attached.
/// </summary>
public static class DurableStreamsTelemetry
{
    /// <summary>The client's <see cref="System.Diagnostics.ActivitySource"/> name: <c>DurableStreams</c>.</summary>
    public const string ActivitySourceName = "DurableStreams";

    /// <summary>The client's <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>DurableStreams</c>.</summary>
    public const string MeterName = "DurableStreams";

    /// <summary>The value of <c>messaging.system</c> on every span and instrument: <c>durable_streams</c>.</summary>
    public const string MessagingSystem = "durable_streams";
}
