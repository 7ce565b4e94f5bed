using System.Diagnostics.Metrics;

namespace DurableStreams.Telemetry;

/// <summary>
/// The client's instruments. Names follow the OpenTelemetry messaging conventions where they define
/// one; the rest are <c>durable_streams.client.*</c>. Tags never carry offsets, producer ids or
/// sequence numbers (the stream path is the finest grain).
/// </summary>
internal static class ClientMetrics
{
    // The messaging conventions' recommended boundaries for operation durations, in seconds.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    public static readonly Histogram<double> OperationDuration = ClientTelemetry.Meter.CreateHistogram<double>(
        "messaging.client.operation.duration", "s",
        "Duration of one protocol request (create, append, close, delete, head, read, SSE connect) until its answer's headers, retries included.",
        tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public static readonly Counter<long> SentMessages = ClientTelemetry.Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}",
        "Messages the client sent in append and producer POSTs (failed ones carry error.type).");

    public static readonly Counter<long> ConsumedMessages = ClientTelemetry.Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}",
        "Messages delivered to the application by reads (JSON values on JSON streams, chunks or SSE data events otherwise).");

    public static readonly Counter<long> SentBytes = ClientTelemetry.Meter.CreateCounter<long>(
        "durable_streams.client.sent.bytes", "By",
        "Payload bytes of appends the server acknowledged (message bytes, without JSON array framing).");

    public static readonly Counter<long> ReceivedBytes = ClientTelemetry.Meter.CreateCounter<long>(
        "durable_streams.client.received.bytes", "By",
        "Response body bytes received by reads (catch-up, long-poll and SSE), as they came off the wire.");

    public static readonly Counter<long> Retries = ClientTelemetry.Meter.CreateCounter<long>(
        "durable_streams.client.retries", "{retry}",
        "Requests sent again after a failure, by reason (durable_streams.retry.reason).");

    public static readonly Counter<long> SseReconnects = ClientTelemetry.Meter.CreateCounter<long>(
        "durable_streams.client.sse.reconnects", "{reconnect}",
        "SSE connections reopened after the server, the network or the idle watchdog ended one.");

    public static readonly Counter<long> LongPollTimeouts = ClientTelemetry.Meter.CreateCounter<long>(
        "durable_streams.client.long_poll.timeouts", "{timeout}",
        "Long-poll requests the server answered with 204 (the hold expired with no new data).");

    public static readonly UpDownCounter<long> ReadersBehind = ClientTelemetry.Meter.CreateUpDownCounter<long>(
        "durable_streams.client.readers.behind", "{reader}",
        "Open reads that have not yet caught up with the stream's tail (the last answer lacked Stream-Up-To-Date).");
}
