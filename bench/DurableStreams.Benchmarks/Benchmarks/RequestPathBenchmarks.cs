using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using DurableStreams.Benchmarks.Fixtures;

namespace DurableStreams.Benchmarks.Benchmarks;

/// <summary>
/// One catch-up request with an empty answer: building the URL with offset, sending, reading the
/// protocol headers (offset, up-to-date, content type). The baseline is a bare GET of the same URL.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private const string ResumeOffset = "0000000000000001_0000000000012345";
    private HttpClient _http = null!;
    private DurableStreamClient _client = null!;
    private readonly ReadOptions _options = new() { Offset = ResumeOffset };

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new InMemoryHandler());
        _client = new DurableStreamClient(_http, new DurableStreamClientOptions { BaseAddress = new Uri("http://bench.local/") });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true, Description = "HttpClient GET ?offset= + header reads")]
    public async Task<bool> Bare()
    {
        using var response = await _http.GetAsync("http://bench.local/stream?offset=" + ResumeOffset, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.Headers.TryGetValues("Stream-Next-Offset", out var next);
        response.Headers.TryGetValues("Stream-Up-To-Date", out var upToDate);
        MediaTypeHeaderValue? type = response.Content.Headers.ContentType;
        return next is not null && upToDate is not null && type is not null;
    }

    [Benchmark(Description = "SDK StreamAsync(offset) open + dispose")]
    public async Task<bool> Sdk()
    {
        await using var response = await _client.StreamAsync("stream", _options).ConfigureAwait(false);
        return response.UpToDate;
    }
}
