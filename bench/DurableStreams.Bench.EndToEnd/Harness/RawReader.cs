using System.Buffers;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// Catch-up reads with a bare <see cref="HttpClient"/>: GET <c>?offset=</c>, follow
/// <c>Stream-Next-Offset</c> until <c>Stream-Up-To-Date</c>. The limit for a typed read, and the
/// way the harness inspects what the server stored.
/// </summary>
internal sealed class RawReader(HttpClient http)
{
    /// <summary>Every response body's bytes, discarded as they arrive (no parsing, no retention).</summary>
    public async Task<long> CountBytesAsync(string url)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            await foreach (var response in ResponsesAsync(url).ConfigureAwait(false))
            {
                using (response)
                {
                    var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    int read;
                    while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0) total += read;
                }
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Every response body, whole (one JSON array each in JSON mode).</summary>
    public async Task<List<byte[]>> BodiesAsync(string url)
    {
        var bodies = new List<byte[]>();
        await foreach (var response in ResponsesAsync(url).ConfigureAwait(false))
            using (response) bodies.Add(await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        return bodies;
    }

    private async IAsyncEnumerable<HttpResponseMessage> ResponsesAsync(string url)
    {
        var offset = "-1";
        while (true)
        {
            var response = await http.GetAsync($"{url}?offset={Uri.EscapeDataString(offset)}", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var upToDate = response.Headers.TryGetValues("Stream-Up-To-Date", out var flags) && flags.Contains("true");
            offset = response.Headers.TryGetValues("Stream-Next-Offset", out var next) ? next.First() : offset;
            yield return response;
            if (upToDate) yield break;
        }
    }
}
