using System.Collections.Concurrent;

namespace DurableStreams.Tests.Support;

/// <summary>
/// A fake stream read over SSE: the opening catch-up GET reports an empty, up-to-date stream of
/// <c>contentType</c> at offset <c>"0"</c>; each SSE connection is answered by the next scripted
/// response, and anything unscripted gets a status the client never retries.
/// </summary>
internal sealed class SseScript : IDisposable
{
    private readonly ConcurrentQueue<Func<RecordedRequest, HttpResponseMessage>> _connections;
    private readonly FakeClient _client;

    public SseScript(string contentType, params Func<RecordedRequest, HttpResponseMessage>[] connections)
    {
        _connections = new(connections);
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp)
                return Respond.Read(contentType == "application/json" ? "[]" : "", contentType, "0");
            if (request.IsSse && _connections.TryDequeue(out var next))
                return next(request);
            return Respond.Unexpected(request);
        });
        _client = new FakeClient(handler);
    }

    public SseScript(string contentType, params HttpResponseMessage[] connections)
        : this(contentType, connections.Select(c => (Func<RecordedRequest, HttpResponseMessage>)(_ => c)).ToArray())
    {
    }

    public FakeHttpHandler Handler => _client.Handler;

    public IReadOnlyList<RecordedRequest> SseRequests => Handler.Requests.Where(r => r.IsSse).ToList();

    /// <summary>The scripted stream through the typed handle, whose reads decode SSE data events as they arrive.</summary>
    public DurableStream<Numbered> Typed => new(_client.Client.GetStream("sse-stream"), TestJsonContext.Default.Numbered);

    /// <summary>The untyped handle on the scripted stream.</summary>
    public DurableStream Stream => _client.Client.GetStream("sse-stream");

    public Task<StreamResponse> OpenAsync(CancellationToken cancellationToken = default) =>
        _client.Client.GetStream("sse-stream").ReadAsync(new ReadOptions { Live = LiveMode.Sse }, cancellationToken);

    public async Task<string> ReadAllTextAsync()
    {
        await using var response = await OpenAsync();
        return await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);
    }

    public async Task<byte[]> ReadAllBytesAsync()
    {
        await using var response = await OpenAsync();
        return await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);
    }

    public async Task<List<StreamChunk>> ReadAllChunksAsync()
    {
        await using var response = await OpenAsync();
        var chunks = new List<StreamChunk>();
        await foreach (var chunk in response.ReadChunksAsync().WithHangGuard())
            chunks.Add(chunk);
        return chunks;
    }

    /// <summary>A control event's SSE lines (LF endings).</summary>
    public static string Control(string offset, string? cursor = null, bool upToDate = false, bool closed = false)
    {
        var json = $"{{\"streamNextOffset\":\"{offset}\"";
        if (cursor is not null) json += $",\"streamCursor\":\"{cursor}\"";
        if (upToDate) json += ",\"upToDate\":true";
        if (closed) json += ",\"streamClosed\":true";
        return $"event: control\ndata: {json}}}\n\n";
    }

    /// <summary>A data event with one <c>data:</c> line per element of <paramref name="lines"/>.</summary>
    public static string Data(params string[] lines) =>
        "event: data\n" + string.Concat(lines.Select(l => $"data: {l}\n")) + "\n";

    public void Dispose() => _client.Dispose();
}

internal static class AsyncEnumerableExtensions
{
    /// <summary>Fails (instead of hanging) if the sequence stalls for longer than <see cref="TestTimeouts.Hang"/>.</summary>
    public static async IAsyncEnumerable<T> WithHangGuard<T>(this IAsyncEnumerable<T> source)
    {
        await using var enumerator = source.GetAsyncEnumerator();
        while (await enumerator.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Hang))
            yield return enumerator.Current;
    }
}
