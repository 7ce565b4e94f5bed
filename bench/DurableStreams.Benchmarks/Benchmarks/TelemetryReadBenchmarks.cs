using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// The read side of <see cref="TelemetryBenchmarks"/>: a typed catch-up read (decode) and a typed SSE read (parse and
/// decode), with no listener and with every span recorded and every instrument enabled.
/// </summary>
[MemoryDiagnoser]
public class TelemetryReadBenchmarks
{
    private DurableStreamClient _client = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;

    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var handler = new InMemoryHandler { ReadBody = Payloads.JsonArray(64 * 1024, out _), SseBody = Payloads.SseEvents(100, 10) };
        _client = new DurableStreamClient(new HttpClient(handler), new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
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

    [Benchmark(Description = "catch-up read 64 KB: StreamAsync + ReadJsonAsync<Record>")]
    public async Task<int> CatchUp()
    {
        var count = 0;
        await using var response = await _client.StreamAsync("stream").ConfigureAwait(false);
        await foreach (var record in response.ReadJsonAsync(BenchJsonContext.Default.Record).ConfigureAwait(false)) count += record.Seq >= 0 ? 1 : 0;
        return count;
    }

    [Benchmark(Description = "SSE 100 events x 10 records: ReadJsonAsync<Record>")]
    public async Task<int> Sse()
    {
        var count = 0;
        await using var response = await _client.StreamAsync("stream", new ReadOptions { Offset = Offset.Now, Live = LiveMode.Sse, InitialCatchUp = false }).ConfigureAwait(false);
        await foreach (var record in response.ReadJsonAsync(BenchJsonContext.Default.Record).ConfigureAwait(false)) count += record.Seq >= 0 ? 1 : 0;
        return count;
    }
}
