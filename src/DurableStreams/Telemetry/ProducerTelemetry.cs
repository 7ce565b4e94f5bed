using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using DurableStreams.Producers;

namespace DurableStreams.Telemetry;

/// <summary>
/// The idempotent producer's telemetry: one <c>send {path}</c> span (kind Producer) per batch send,
/// outer to every request of it (client retries and outage resends are events on it, each attempt's
/// HttpClient span nests under it), and observable gauges of what live producers hold.
/// </summary>
internal static class ProducerTelemetry
{
    // Live producers, observed only when a meter listener collects; entries go with their producer.
    private static readonly ConditionalWeakTable<IdempotentProducer, object?> Live = new();

    public static readonly ObservableUpDownCounter<long> BufferedBytes = ClientTelemetry.Meter.CreateObservableUpDownCounter(
        "durable_streams.client.producer.buffered_bytes", ObserveBufferedBytes, "By",
        "Bytes appended to idempotent producers and not yet acknowledged by the server.");

    public static readonly ObservableUpDownCounter<long> BatchesInFlight = ClientTelemetry.Meter.CreateObservableUpDownCounter(
        "durable_streams.client.producer.batches_in_flight", ObserveInFlight, "{batch}",
        "Producer batches sent and not yet answered.");

    public static void Register(IdempotentProducer producer) => Live.AddOrUpdate(producer, null);

    private static IEnumerable<Measurement<long>> ObserveBufferedBytes() => Observe(static snapshot => snapshot.BufferedBytes);

    private static IEnumerable<Measurement<long>> ObserveInFlight() => Observe(static snapshot => snapshot.InFlight);

    private static List<Measurement<long>> Observe(Func<(long BufferedBytes, long InFlight), long> pick)
    {
        // One measurement per stream path: producers writing to the same stream add up.
        var sums = new Dictionary<Uri, long>();
        foreach (var (producer, _) in Live)
        {
            var url = producer.Url;
            sums[url] = sums.GetValueOrDefault(url) + pick(producer.TelemetrySnapshot());
        }
        var measurements = new List<Measurement<long>>(sums.Count);
        foreach (var (url, value) in sums)
        {
            var tags = new TagList
            {
                { TelemetryNames.MessagingSystem, DurableStreamsTelemetry.MessagingSystem },
                { TelemetryNames.DestinationName, url.AbsolutePath },
                { TelemetryNames.ServerAddress, url.Host },
                { TelemetryNames.ServerPort, url.Port },
            };
            measurements.Add(new Measurement<long>(value, tags));
        }
        return measurements;
    }

    /// <summary>Starts a batch's span; it is current for the sends below it and ends with the caller's <c>using</c>.</summary>
    public static Activity? StartBatch(ProducerBatch batch, bool close, Uri url)
    {
        if (!ClientTelemetry.Source.HasListeners()) return null;
        var name = close ? TelemetryNames.CloseStream : TelemetryNames.Send;
        var span = ClientTelemetry.Source.StartActivity(name + " " + url.AbsolutePath, ActivityKind.Producer);
        if (span is null) return null;
        span.SetCustomProperty(ClientTelemetry.OuterSpanProperty, ClientTelemetry.OuterSpanProperty);
        if (span.IsAllDataRequested)
        {
            RequestTelemetry.SetCommon(span, name, batch.Count > 0 ? TelemetryNames.Send : null, url);
            if (batch.Count > 1) span.SetTag(TelemetryNames.BatchMessageCount, batch.Count);
        }
        return span;
    }

    /// <summary>A send failed with an outage and will be repeated with the same numbers after <paramref name="delay"/>.</summary>
    public static void OutageRetry(Uri url, DurableStreamException failure, TimeSpan delay, int attempt)
    {
        if (!ClientMetrics.Retries.Enabled && !ClientTelemetry.Source.HasListeners()) return;
        var reason = RequestTelemetry.RetryReason(failure);
        if (ClientMetrics.Retries.Enabled)
        {
            var tags = RequestTelemetry.BaseTags(TelemetryNames.Send, url);
            tags.Add(TelemetryNames.RetryReason, reason);
            ClientMetrics.Retries.Add(1, tags);
        }
        if (Activity.Current is { IsAllDataRequested: true } span && ClientTelemetry.IsOuterSpan(span))
            span.AddEvent(new ActivityEvent(TelemetryNames.RetryEvent, tags: new ActivityTagsCollection
            {
                [TelemetryNames.RetryReason] = reason,
                [TelemetryNames.RetryAttempt] = attempt,
                [TelemetryNames.RetryDelay] = delay.TotalMilliseconds,
                [TelemetryNames.ErrorType] = RequestTelemetry.ErrorType(failure),
                ["durable_streams.retry.scope"] = "outage",
            }));
    }

    /// <summary>A batch is done: its messages count as sent (with error.type when it failed).</summary>
    public static void Completed(ProducerBatch batch, Uri url, Exception? failure)
    {
        if (batch.Count == 0 || !ClientMetrics.SentMessages.Enabled && !ClientMetrics.SentBytes.Enabled) return;
        AppendTelemetry.Record(url, batch.Count, batch.Bytes, failure);
    }
}
