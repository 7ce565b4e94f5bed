using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace DurableStreams.Telemetry;

/// <summary>
/// The client's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="DurableStreamsTelemetry.ActivitySourceName"/> and versioned with the assembly's
/// informational version. Everything else in this folder builds on these two.
/// </summary>
internal static class ClientTelemetry
{
    public static readonly string Version =
        typeof(ClientTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ClientTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static readonly ActivitySource Source = new(DurableStreamsTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(DurableStreamsTelemetry.MeterName, Version);

    /// <summary>
    /// Marks a span of ours that spans more than one request (a batched POST, a producer batch, an SSE
    /// connection): a request sent while it is current reports into it instead of starting its own span.
    /// </summary>
    public const string OuterSpanProperty = "durable_streams.outer";

    public static bool IsOuterSpan(Activity? activity) =>
        activity is not null && ReferenceEquals(activity.Source, Source) && activity.GetCustomProperty(OuterSpanProperty) is not null;

    /// <summary>
    /// Stops a span that may not be <see cref="Activity.Current"/> in this context (started elsewhere, ended
    /// here) without changing what is current for the code that runs on.
    /// </summary>
    public static void StopDetached(Activity activity)
    {
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(current, activity) && !ReferenceEquals(Activity.Current, current)) Activity.Current = current;
    }
}

/// <summary>Attribute and tag names: OpenTelemetry messaging conventions plus the protocol's own.</summary>
internal static class TelemetryNames
{
    public const string MessagingSystem = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string BatchMessageCount = "messaging.batch.message_count";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";

    public const string Offset = "durable_streams.offset";
    public const string NextOffset = "durable_streams.next_offset";
    public const string ProducerId = "durable_streams.producer.id";
    public const string ProducerEpoch = "durable_streams.producer.epoch";
    public const string ProducerSeq = "durable_streams.producer.seq";
    public const string LiveMode = "durable_streams.live_mode";
    public const string StreamClosed = "durable_streams.stream.closed";
    public const string UpToDate = "durable_streams.up_to_date";
    public const string ErrorCode = "durable_streams.error.code";
    public const string RetryReason = "durable_streams.retry.reason";
    public const string RetryAttempt = "durable_streams.retry.attempt";
    public const string RetryDelay = "durable_streams.retry.delay_ms";
    public const string ReconnectReason = "durable_streams.reconnect.reason";

    public const string RetryEvent = "durable_streams.retry";
    public const string RecoveredEvent = "durable_streams.recovered";
    public const string SseEndedEvent = "durable_streams.sse.ended";

    // messaging.operation.name values
    public const string Send = "send";
    public const string Receive = "receive";
    public const string Create = "create";
    public const string CreateStream = "create_stream";
    public const string HeadStream = "head_stream";
    public const string DeleteStream = "delete_stream";
    public const string CloseStream = "close_stream";
    public const string Subscription = "subscription";

    // durable_streams.live_mode values
    public const string CatchUp = "catch_up";
    public const string LongPoll = "long_poll";
    public const string Sse = "sse";
}
