using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// What tracing and metrics cost when someone listens: the append and request-path benchmarks with no
/// listener and with an ActivityListener (every span recorded) plus a MeterListener (every instrument
/// enabled) attached, the way an OpenTelemetry SDK with AddSource/AddMeter would be.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private Record[] _records = [];
    private DurableStreamClient _client = null!;
    private DurableStream _stream = null!;
    private readonly ReadOptions _read = new() { Offset = "0000000000000001_0000000000012345" };
    private ActivityListener? _activities;
    private MeterListener? _meters;

    [Params(false, true)]
    public bool Listening { get; set; }

    [Params(1, 100)]
    public int Concurrent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _records = Enumerable.Range(0, Concurrent).Select(i => Payloads.Sample(i, i)).ToArray();
        _client = new DurableStreamClient(new HttpClient(new InMemoryHandler()), new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
        _stream = _client.GetStream("stream", "application/json");
        if (!Listening) return;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableStreamsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DurableStreamsTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activities?.Dispose();
        _meters?.Dispose();
        _client.Dispose();
    }

    [Benchmark(Description = "AppendJsonAsync x Concurrent")]
    public async Task<int> Append()
    {
        var tasks = new Task<AppendResult>[_records.Length];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = _stream.AppendJsonAsync(_records[i], BenchJsonContext.Default.Record);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return tasks.Length;
    }

    [Benchmark(Description = "StreamAsync(offset) open + dispose")]
    public async Task<bool> CatchUpRead()
    {
        await using var response = await _client.StreamAsync("stream", _read).ConfigureAwait(false);
        return response.UpToDate;
    }
}
