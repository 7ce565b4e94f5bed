using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// Concurrent JSON appends on one handle: serialization, batching and the POST body encoding,
/// against writing the same records into one JSON array by hand (the least work a POST body needs).
/// The handler answers asynchronously (after <see cref="Task.Yield"/>): with a synchronous one, the
/// lone-append fast path sends and finishes each append before the next is made, so Concurrent=100
/// made 100 POSTs and measured no batching. Now the first append goes out alone and the others
/// queue behind it and share the next POSTs (one or a few, as the thread pool schedules the
/// answer), as they do against a server.
/// </summary>
[MemoryDiagnoser]
public class AppendEncodingBenchmarks
{
    private Record[] _records = [];
    private InMemoryHandler _handler = null!;
    private DurableStreamClient _client = null!;
    private DurableStream _stream = null!;

    [Params(1, 100)]
    public int Concurrent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _records = Enumerable.Range(0, Concurrent).Select(i => Payloads.Sample(i, i)).ToArray();
        _handler = new InMemoryHandler { CompleteAsynchronously = true };
        _client = new DurableStreamClient(new HttpClient(_handler), new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
        _stream = _client.GetStream("stream", "application/json");
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "Utf8JsonWriter array of the records")]
    public int HandEncoded()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in _records) JsonSerializer.Serialize(writer, record, BenchJsonContext.Default.Record);
            writer.WriteEndArray();
        }
        return (int)buffer.Length;
    }

    [Benchmark(Description = "SDK AppendJsonAsync x Concurrent")]
    public async Task<long> Sdk()
    {
        var tasks = new Task<AppendResult>[_records.Length];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = _stream.AppendJsonAsync(_records[i], BenchJsonContext.Default.Record);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return _handler.PostedBytes;
    }
}
