using System.Net.ServerSentEvents;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// An SSE subscription: data events (JSON arrays) each committed by a control event, parsed and
/// decoded by the SDK, against the least a client must do with the same bytes: the framework's
/// <see cref="SseParser"/> plus <see cref="JsonSerializer"/> on each data event, no protocol state.
/// </summary>
[MemoryDiagnoser]
public class SseParsingBenchmarks
{
    private byte[] _body = [];
    private DurableStreamClient _client = null!;

    [Params(100, 1000)]
    public int Events { get; set; }

    [Params(1, 10)]
    public int RecordsPerEvent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.SseEvents(Events, RecordsPerEvent);
        var handler = new InMemoryHandler { SseBody = _body };
        _client = new DurableStreamClient(new HttpClient(handler), new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "SseParser + JsonSerializer per data event")]
    public async Task<int> BareParser()
    {
        var count = 0;
        var parser = SseParser.Create(new MemoryStream(_body, writable: false), static (type, data) =>
            type == "data" ? JsonSerializer.Deserialize(data, BenchJsonContext.Default.RecordArray)!.Length : 0);
        await foreach (var item in parser.EnumerateAsync().ConfigureAwait(false)) count += item.Data;
        return count;
    }

    [Benchmark(Description = "SDK live=sse ReadJsonAsync<Record>")]
    public async Task<int> Sdk()
    {
        var options = new ReadOptions { Offset = Offset.Now, Live = LiveMode.Sse, InitialCatchUp = false };
        await using var response = await _client.StreamAsync("stream", options).ConfigureAwait(false);
        var count = 0;
        await foreach (var record in response.ReadJsonAsync(BenchJsonContext.Default.Record).ConfigureAwait(false))
            count += record.Seq >= 0 ? 1 : 0;
        return count;
    }
}
