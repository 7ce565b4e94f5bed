using System.Buffers;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// Catch-up reads with a bare <see cref="HttpClient"/>: GET <c>?offset=</c>, follow
/// <c>Stream-Next-Offset</c> until <c>Stream-Up-To-Date</c>. The limit for a typed read, and the
/// way the harness inspects what the server stored.
/// </summary>
internal sealed class RawReader(HttpClient http)
{
    /// <summary>When the latest read's first response headers arrived (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long FirstHeadersAt { get; private set; }

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

    /// <summary>
    /// The same catch-up over SSE (<c>live=sse</c> from <c>-1</c>): the connection's bytes, discarded as they arrive, until
    /// the first control event with <c>"upToDate":true</c> (found by a byte search; the bench's messages never contain it).
    /// No event parsing, no JSON decoding: the limit for an SSE catch-up. Returns the bytes read.
    /// </summary>
    public async Task<long> CountSseBytesAsync(string url)
    {
        var marker = "\"upToDate\":true"u8.ToArray();
        var keep = marker.Length - 1; // a marker split across two reads is still found
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}?offset=-1&live=sse");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            FirstHeadersAt = System.Diagnostics.Stopwatch.GetTimestamp();
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            long total = 0;
            var carried = 0;
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(carried)).ConfigureAwait(false);
                if (read == 0) throw new IOException("The SSE connection ended before an up-to-date control event.");
                total += read;
                var seen = carried + read;
                if (buffer.AsSpan(0, seen).IndexOf(marker) >= 0) return total;
                carried = Math.Min(keep, seen);
                buffer.AsSpan(seen - carried, carried).CopyTo(buffer);
            }
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
        var first = true;
        while (true)
        {
            var response = await http.GetAsync($"{url}?offset={Uri.EscapeDataString(offset)}", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (first) FirstHeadersAt = System.Diagnostics.Stopwatch.GetTimestamp();
            first = false;
            response.EnsureSuccessStatusCode();
            var upToDate = response.Headers.TryGetValues("Stream-Up-To-Date", out var flags) && flags.Contains("true");
            offset = response.Headers.TryGetValues("Stream-Next-Offset", out var next) ? next.First() : offset;
            yield return response;
            if (upToDate) yield break;
        }
    }
}
