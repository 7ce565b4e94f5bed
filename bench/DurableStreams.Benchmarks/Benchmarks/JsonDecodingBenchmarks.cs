using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;
using DurableStreams.Reading;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// A JSON-mode catch-up response decoded into typed records through the SDK, against the limit:
/// <see cref="JsonSerializer"/> on the same bytes already in memory, same source-generated metadata.
/// "decode" times the SDK's response decoder on a response whose body is in memory (what the target
/// compares); "full read" adds the whole request path through <see cref="HttpClient"/>, a fixed cost
/// per response that the request-path benchmark breaks down.
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

    [Benchmark(Description = "SDK decode of a response (ReadJsonAsync's decoder)")]
    public async Task<int> SdkDecode()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_body) };
        using var batch = ReadBatch.FromResponse(response, Before, "1", upToDate: true, closed: false, cursor: null);
        // The same calls ReadJsonAsync makes for each response it decodes.
        var records = await BatchDecoder.OpenItemsAsync(batch, BenchJsonContext.Default.Record, Url, parallel: true, default).ConfigureAwait(false);
        var count = 0;
        await using (records.ConfigureAwait(false))
        {
            while (await records.MoveNextAsync().ConfigureAwait(false))
                count += records.Current.Seq >= 0 ? 1 : 0;
        }
        return count;
    }

    private static readonly Uri Url = new("http://bench.local/stream");
    private static readonly ReadPosition Before = new("-1", null, false);

    [Benchmark(Description = "SDK full read: StreamAsync + ReadJsonAsync<Record>")]
    public async Task<int> Sdk()
    {
        await using var response = await _client.StreamAsync("stream").ConfigureAwait(false);
        var count = 0;
        await foreach (var record in response.ReadJsonAsync(BenchJsonContext.Default.Record).ConfigureAwait(false))
            count += record.Seq >= 0 ? 1 : 0;
        return count;
    }
}
