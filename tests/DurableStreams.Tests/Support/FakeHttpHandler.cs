using System.Net;
using System.Text;

namespace DurableStreams.Tests.Support;

/// <summary>What the client sent, captured before the scripted response is produced.</summary>
internal sealed class RecordedRequest
{
    public required int Index { get; init; }
    public required HttpMethod Method { get; init; }
    public required Uri Uri { get; init; }
    public required Dictionary<string, string> Headers { get; init; }
    public string? ContentType { get; init; }
    public byte[]? Body { get; init; }

    public string BodyText => Body is null ? "" : Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>Decoded query parameter, or null when absent.</summary>
    public string? Query(string name)
    {
        var query = Uri.Query.TrimStart('?');
        if (query.Length == 0) return null;
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (key == name) return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return null;
    }

    public bool IsPost => Method == HttpMethod.Post;
    public bool IsSse => Method == HttpMethod.Get && Query("live") == "sse";
    public bool IsLongPoll => Method == HttpMethod.Get && Query("live") == "long-poll";
    public bool IsCatchUp => Method == HttpMethod.Get && Query("live") is null;
}

/// <summary>
/// An in-memory server: every request is recorded (body included) and answered by a script.
/// Used where a real server cannot produce the condition (crafted SSE framing, held POSTs,
/// exact failure sequences).
/// </summary>
internal sealed class FakeHttpHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private const int MaxRequests = 2000;

    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public FakeHttpHandler(Func<RecordedRequest, HttpResponseMessage> respond)
        : this((r, _) => Task.FromResult(respond(r)))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public IReadOnlyList<RecordedRequest> Posts => Requests.Where(r => r.IsPost).ToList();

    /// <summary>Waits (polling; the timeout only prevents a hang) until the recorded requests satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<RecordedRequest>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.Hang);
        while (!condition(Requests))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for: {what}. Requests so far:\n{Describe()}");
            await Task.Delay(5);
        }
    }

    public string Describe() => string.Join('\n', Requests.Select(r => $"#{r.Index} {r.Method} {r.Uri.PathAndQuery} body={r.BodyText}"));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers) headers[name] = string.Join(", ", values);
        if (request.Content is not null)
            foreach (var (name, values) in request.Content.Headers) headers[name] = string.Join(", ", values);
        RecordedRequest recorded;
        lock (_gate)
        {
            // A client stuck in a request loop must fail the test, not exhaust the machine's memory.
            if (_requests.Count >= MaxRequests)
                return Respond.Status((HttpStatusCode)418, $"runaway client: more than {MaxRequests} requests");
            recorded = new RecordedRequest
            {
                Index = _requests.Count,
                Method = request.Method,
                Uri = request.RequestUri!,
                Headers = headers,
                ContentType = request.Content?.Headers.ContentType?.ToString(),
                Body = body,
            };
            _requests.Add(recorded);
        }
        var response = await respond(recorded, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>Builders for scripted responses.</summary>
internal static class Respond
{
    public static HttpResponseMessage Status(HttpStatusCode status, string? text = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new ByteArrayContent(text is null ? [] : Encoding.UTF8.GetBytes(text)),
        };
        if (text is not null) response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain");
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    /// <summary>A successful append (204) reporting <paramref name="offset"/>.</summary>
    public static HttpResponseMessage Appended(string offset, params (string Name, string Value)[] headers) =>
        Status(HttpStatusCode.NoContent, null, [("Stream-Next-Offset", offset), .. headers]);

    /// <summary>A catch-up or long-poll 200 with the given body (a <see cref="HttpContent"/> to control how it is delivered).</summary>
    public static HttpResponseMessage Read(HttpContent content, string contentType, string nextOffset, bool upToDate = true, bool closed = false, string? cursor = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        response.Headers.TryAddWithoutValidation("Stream-Next-Offset", nextOffset);
        if (upToDate) response.Headers.TryAddWithoutValidation("Stream-Up-To-Date", "true");
        if (closed) response.Headers.TryAddWithoutValidation("Stream-Closed", "true");
        if (cursor is not null) response.Headers.TryAddWithoutValidation("Stream-Cursor", cursor);
        return response;
    }

    public static HttpResponseMessage Read(string body, string contentType, string nextOffset, bool upToDate = true, bool closed = false, string? cursor = null) =>
        Read(new ByteArrayContent(Encoding.UTF8.GetBytes(body)), contentType, nextOffset, upToDate, closed, cursor);

    /// <summary>An SSE response whose body is exactly <paramref name="body"/> (bytes, so framing is under the test's control).</summary>
    public static HttpResponseMessage Sse(byte[] body, bool base64 = false) => Sse(new ByteArrayContent(body), base64);

    public static HttpResponseMessage Sse(string body, bool base64 = false) => Sse(Encoding.UTF8.GetBytes(body), base64);

    public static HttpResponseMessage Sse(HttpContent content, bool base64 = false)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        if (base64) response.Headers.TryAddWithoutValidation("Stream-SSE-Data-Encoding", "base64");
        return response;
    }

    /// <summary>Answer for a request the script did not expect: a status the client never retries, naming the request.</summary>
    public static HttpResponseMessage Unexpected(RecordedRequest request) =>
        Status((HttpStatusCode)418, $"unexpected request #{request.Index}: {request.Method} {request.Uri.PathAndQuery}");
}

internal static class TestTimeouts
{
    /// <summary>Only there to turn a hang into a failure; never a speed requirement.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
}
