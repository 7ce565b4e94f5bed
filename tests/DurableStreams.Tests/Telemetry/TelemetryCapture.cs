using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DurableStreams.Tests.Telemetry;

/// <summary>
/// Listens to the client's spans (and HttpClient's) and instruments for one test. Other tests run in
/// the same process at the same time, so assertions filter by the test's own stream path or trace.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DurableStreamsTelemetry.ActivitySourceName or "System.Net.Http" or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DurableStreamsTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument, value, ToDictionary(tags))));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new(instrument, value, ToDictionary(tags))));
        _meters.Start();
    }

    public const string TestSourceName = "DurableStreams.Tests.Telemetry";
    public static readonly ActivitySource TestSource = new(TestSourceName);

    /// <summary>Stopped spans of one trace (the test's root activity's).</summary>
    public List<Activity> Trace(ActivityTraceId trace) => _stopped.Where(a => a.TraceId == trace).ToList();

    /// <summary>Our stopped spans about one stream (messaging.destination.name).</summary>
    public List<Activity> SpansFor(string serverPath) =>
        _stopped.Where(a => a.Source.Name == DurableStreamsTelemetry.ActivitySourceName && (string?)a.GetTagItem("messaging.destination.name") == serverPath).ToList();

    /// <summary>Measurements of <paramref name="instrument"/> tagged with the stream path.</summary>
    public List<Measurement> Measurements(string instrument, string serverPath) =>
        _measurements.Where(m => m.Instrument.Name == instrument && m.Tags.TryGetValue("messaging.destination.name", out var d) && (string?)d == serverPath).ToList();

    public double Sum(string instrument, string serverPath, Func<Measurement, bool>? where = null) =>
        Measurements(instrument, serverPath).Where(where ?? (_ => true)).Sum(m => m.Value);

    public void RecordObservables() => _meters.RecordObservableInstruments();

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds: spans stop on other threads.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(tags.Length);
        foreach (var tag in tags) result[tag.Key] = tag.Value;
        return result;
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    internal sealed record Measurement(Instrument Instrument, double Value, Dictionary<string, object?> Tags)
    {
        public object? Tag(string name) => Tags.GetValueOrDefault(name);
    }
}

internal static class ActivityAssertions
{
    public static object? Tag(this Activity activity, string name) => activity.GetTagItem(name);

    public static bool IsHttpClientSpan(this Activity activity) => activity.Source.Name == "System.Net.Http";

    public static bool IsOurs(this Activity activity) => activity.Source.Name == DurableStreamsTelemetry.ActivitySourceName;
}
