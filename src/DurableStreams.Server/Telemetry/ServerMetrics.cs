using System.Diagnostics;
using System.Diagnostics.Metrics;
using DurableStreams.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Telemetry;

/// <summary>
/// The server's instruments, on a <see cref="Meter"/> from the app's <see cref="IMeterFactory"/> (so each app,
/// and each test server, has its own). Tags are low-cardinality: the stream path is never one (a server hosts
/// any number of streams); <c>messaging.destination.template</c>, the mapped route, stands in for it.
/// Every method returns at once, allocating nothing, while its instrument has no listener.
/// </summary>
internal sealed class ServerMetrics
{
    // Long-polls (20 s) and SSE connections (60 s) share the histogram with sub-millisecond appends.
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

    private readonly Counter<long> _messagesAppended;
    private readonly Counter<long> _bytesStored;
    private readonly Counter<long> _messagesServed;
    private readonly Counter<long> _bytesServed;
    private readonly UpDownCounter<long> _liveReaders;
    private readonly Histogram<double> _requestDuration;

    public ServerMetrics(IMeterFactory factory, IStreamStore store)
    {
        var meter = factory.Create(new MeterOptions(DurableStreamsServerTelemetry.MeterName) { Version = ServerTelemetry.Version });
        _messagesAppended = meter.CreateCounter<long>(Names.MessagesAppended, "{message}",
            "Messages stored by appends and by creates with a body (the values of a JSON append, 1 per append otherwise).");
        _bytesStored = meter.CreateCounter<long>(Names.BytesStored, "By",
            "Message bytes stored by appends and by creates with a body (JSON as stored: minified values).");
        _messagesServed = meter.CreateCounter<long>(Names.MessagesServed, "{message}",
            "Messages sent to readers: catch-up and long-poll responses and SSE data events.");
        _bytesServed = meter.CreateCounter<long>(Names.BytesServed, "By",
            "Message bytes sent to readers, measured as stored (before JSON framing or SSE base64).");
        _liveReaders = meter.CreateUpDownCounter<long>(Names.LiveReaders, "{reader}",
            "Live readers connected right now: long-poll requests in progress and open SSE responses.");
        meter.CreateObservableUpDownCounter(Names.Streams, () => (long)store.StreamCount, "{stream}",
            "Streams the server holds (deleted ones excluded; expired ones count until a request notices).");
        _requestDuration = meter.CreateHistogram(Names.RequestDuration, "s",
            "Duration of protocol requests, from routing to the end of the response (whole connection for SSE).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public void Stored(HttpContext context, string operation, int messages, long bytes)
    {
        if (messages <= 0) return;
        if (_messagesAppended.Enabled) _messagesAppended.Add(messages, Tags(context, operation));
        if (_bytesStored.Enabled) _bytesStored.Add(bytes, Tags(context, operation));
    }

    public void Served(HttpContext context, string liveMode, IReadOnlyList<StoredMessage> messages)
    {
        if (messages.Count == 0 || !(_messagesServed.Enabled || _bytesServed.Enabled)) return;
        long count = 0, bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            count += messages[i].Count;
            bytes += messages[i].Data.Length;
        }
        var tags = Tags(context, ServerOperation.Receive);
        tags.Add(Attributes.LiveMode, liveMode);
        _messagesServed.Add(count, tags);
        _bytesServed.Add(bytes, tags);
    }

    /// <summary>Counts a live reader in; true when it did, and then <see cref="LiveReaderLeft"/> must follow.</summary>
    public bool LiveReaderJoined(HttpContext context, string liveMode)
    {
        if (!_liveReaders.Enabled) return false;
        _liveReaders.Add(1, LiveTags(context, liveMode));
        return true;
    }

    public void LiveReaderLeft(HttpContext context, string liveMode) => _liveReaders.Add(-1, LiveTags(context, liveMode));

    private static TagList LiveTags(HttpContext context, string liveMode)
    {
        var tags = Tags(context, ServerOperation.Receive);
        tags.Add(Attributes.LiveMode, liveMode);
        return tags;
    }

    public void RequestDone(HttpContext context, ServerOperation operation, long startTimestamp, int status, Exception? exception)
    {
        if (!_requestDuration.Enabled) return;
        var tags = Tags(context, operation.Name);
        if (operation.Type is not null) tags.Add(Attributes.OperationType, operation.Type);
        if (operation.LiveMode is not null) tags.Add(Attributes.LiveMode, operation.LiveMode);
        if (exception is not null) tags.Add(Attributes.ErrorType, exception.GetType().FullName);
        else if (status >= 400) tags.Add(Attributes.ErrorType, ServerTelemetry.ErrorType(status));
        _requestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    private static TagList Tags(HttpContext context, string operation)
    {
        var tags = new TagList
        {
            { Attributes.MessagingSystem, DurableStreamsServerTelemetry.MessagingSystem },
            { Attributes.OperationName, operation },
        };
        if (ServerTelemetry.Template(context) is { } template) tags.Add(Attributes.DestinationTemplate, template);
        return tags;
    }

    /// <summary>Instrument names.</summary>
    internal static class Names
    {
        public const string MessagesAppended = "durable_streams.server.messages.appended";
        public const string BytesStored = "durable_streams.server.bytes.stored";
        public const string MessagesServed = "durable_streams.server.messages.served";
        public const string BytesServed = "durable_streams.server.bytes.served";
        public const string LiveReaders = "durable_streams.server.live_readers";
        public const string Streams = "durable_streams.server.streams";
        public const string RequestDuration = "durable_streams.server.request.duration";
    }
}
