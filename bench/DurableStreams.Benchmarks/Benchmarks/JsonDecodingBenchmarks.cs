using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;
using System.Text.Json;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// A JSON-mode catch-up response decoded into typed records through the SDK, against the limit:
/// <see cref="JsonSerializer"/> on the same bytes already in memory, same source-generated metadata.
/// </summary>
[MemoryDiagnoser]
public class JsonDecodingBenchmarks
{
    private byte[] _body = [];
    private InMemoryHandler _handler = null!;
    private DurableStreamClient _client = null!;

    [Params(1024, 64 * 1024, 1024 * 1024, 10 * 1024 * 1024)]
    public int Bytes { get; set; }

    /// <summary>Records in the body (reported so per-message figures can be derived).</summary>
    public int Count { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.JsonArray(Bytes, out var count);
        Count = count;
        _handler = new InMemoryHandler { ReadBody = _body };
        _client = new DurableStreamClient(new HttpClient(_handler), new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true, Description = "JsonSerializer.Deserialize<Record[]> (in memory)")]
    public int InMemory() => JsonSerializer.Deserialize(_body, BenchJsonContext.Default.RecordArray)!.Length;

    [Benchmark(Description = "SDK ReadJsonAsync<Record>")]
    public async Task<int> Sdk()
    {
        await using var response = await _client.StreamAsync("stream").ConfigureAwait(false);
        var count = 0;
        await foreach (var record in response.ReadJsonAsync(BenchJsonContext.Default.Record).ConfigureAwait(false))
            count += record.Seq >= 0 ? 1 : 0;
        return count;
    }
}
