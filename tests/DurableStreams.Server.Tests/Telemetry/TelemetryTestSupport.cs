using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>
/// Collects the server's spans. Listeners are process-wide and tests run in parallel, so tests look only at
/// spans of their own stream paths (<see cref="For"/>). Also samples ASP.NET Core's request activity, the parent.
/// </summary>
internal sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DurableStreamsServerTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The server spans of one stream path, in the order they ended.</summary>
    public List<Activity> For(string path) =>
        [.. _stopped.Where(a => a.Source.Name == DurableStreamsServerTelemetry.ActivitySourceName && (string?)a.GetTagItem("messaging.destination.name") == path)];

    /// <summary>Waits (bounded) until <paramref name="count"/> spans of the path ended: a span ends just after its response is written.</summary>
    public async Task<List<Activity>> WaitForAsync(string path, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (For(path).Count < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        var spans = For(path);
        Assert.True(spans.Count >= count, $"expected {count} spans for {path}, got {spans.Count}");
        return spans;
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Collects the measurements of one app's server meter: meters come from the app's <see cref="IMeterFactory"/>,
/// so instruments are matched by that factory (the meter's scope), and other tests' servers never mix in.
/// </summary>
internal sealed class MetricCollector : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricCollector(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DurableStreamsServerTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    public void RecordObservables() => _listener.RecordObservableInstruments();

    /// <summary>The sum of an instrument's measurements whose tags include every given tag.</summary>
    public double Sum(string instrument, params (string Key, object? Value)[] tags) =>
        Of(instrument, tags).Sum(m => m.Value);

    public List<Measurement> Of(string instrument, params (string Key, object? Value)[] tags) =>
        [.. Measurements.Where(m => m.Instrument.Name == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))];

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, for measurements taken after a response.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(10);
        return condition();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        Measurements.Enqueue(new Measurement(instrument, value, copy));
    }

    public void Dispose() => _listener.Dispose();

    internal sealed record Measurement(Instrument Instrument, double Value, Dictionary<string, object?> Tags);
}

/// <summary>Keeps every log entry of an app, to check what the server writes (and what it never writes).</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
