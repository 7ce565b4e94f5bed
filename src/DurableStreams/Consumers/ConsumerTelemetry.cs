using System.Diagnostics;
using System.Diagnostics.Metrics;
using DurableStreams.Telemetry;

namespace DurableStreams.Consumers;

/// <summary>
/// A <c>process {path}</c> span (kind Consumer) around each handler attempt, and the
/// <c>messaging.process.duration</c> histogram; nothing is created or allocated without a listener.
/// </summary>
internal static class ConsumerTelemetry
{
    public const string Process = "process";
    public const string ConsumerName = "durable_streams.consumer.name";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    public static readonly Histogram<double> ProcessDuration = ClientTelemetry.Meter.CreateHistogram<double>(
        "messaging.process.duration", "s",
        "Duration of one handler attempt of a checkpointed consumer (error.type when it threw).",
        tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>Starts the span of one attempt (null without a listener) and the clock of the histogram.</summary>
    public static Activity? Start(string consumer, Uri url, Offset position, int attempt, out long started)
    {
        started = ProcessDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (!ClientTelemetry.Source.HasListeners()) return null;
        var span = ClientTelemetry.Source.StartActivity($"{Process} {url.AbsolutePath}", ActivityKind.Consumer);
        if (span is null) return null;
        if (span.IsAllDataRequested)
        {
            span.SetTag(TelemetryNames.MessagingSystem, DurableStreamsTelemetry.MessagingSystem);
            span.SetTag(TelemetryNames.OperationName, Process);
            span.SetTag(TelemetryNames.OperationType, Process);
            span.SetTag(TelemetryNames.DestinationName, url.AbsolutePath);
            span.SetTag(TelemetryNames.ServerAddress, url.Host);
            span.SetTag(TelemetryNames.ServerPort, url.Port);
            span.SetTag(ConsumerName, consumer);
            span.SetTag(TelemetryNames.Offset, position.ToString());
            if (attempt > 1) span.SetTag(TelemetryNames.RetryAttempt, attempt - 1);
        }
        return span;
    }

    /// <summary>Ends an attempt: the span's status and <c>error.type</c>, and one measurement.</summary>
    public static void Stop(Activity? span, long started, string consumer, Uri url, Exception? failure)
    {
        var errorType = failure is null ? null : RequestTelemetry.ErrorType(failure);
        if (span is not null)
        {
            if (errorType is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, failure!.Message);
                span.SetTag(TelemetryNames.ErrorType, errorType);
            }
            span.Dispose();
        }
        if (started == 0 || !ProcessDuration.Enabled) return;
        var tags = new TagList
        {
            { TelemetryNames.MessagingSystem, DurableStreamsTelemetry.MessagingSystem },
            { TelemetryNames.OperationName, Process },
            { TelemetryNames.OperationType, Process },
            { TelemetryNames.DestinationName, url.AbsolutePath },
            { TelemetryNames.ServerAddress, url.Host },
            { TelemetryNames.ServerPort, url.Port },
            { ConsumerName, consumer },
        };
        if (errorType is not null) tags.Add(TelemetryNames.ErrorType, errorType);
        ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
