using System.Net;
using System.Net.Http.Headers;

namespace DurableStreams.Benchmarks.Fixtures;

/// <summary>
/// Answers every request from memory, so the client's own work is all that is measured:
/// GETs get <see cref="ReadBody"/> (or <see cref="SseBody"/> for <c>live=sse</c>), POSTs get 204.
/// </summary>
public sealed class InMemoryHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue EventStream = new("text/event-stream");

    public byte[] ReadBody { get; set; } = "[]"u8.ToArray();
    public byte[] SseBody { get; set; } = [];

    /// <summary>Bytes of the last POST body, so the encoding cannot be optimised away.</summary>
    public long PostedBytes { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("Stream-Next-Offset", "0000000000000001_0000000000000100");
        if (request.Method == HttpMethod.Post)
        {
            // The SDK hands over an already-encoded body; its length is enough (reading it would add a copy).
            PostedBytes = request.Content?.Headers.ContentLength ?? 0;
            response.StatusCode = HttpStatusCode.NoContent;
            response.Content = new ByteArrayContent([]);
            return Task.FromResult(response);
        }

        var sse = request.RequestUri!.Query.Contains("live=sse", StringComparison.Ordinal);
        response.Content = new ByteArrayContent(sse ? SseBody : ReadBody);
        response.Content.Headers.ContentType = sse ? EventStream : Json;
        if (!sse) response.Headers.TryAddWithoutValidation("Stream-Up-To-Date", "true");
        return Task.FromResult(response);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();
}
