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

    /// <summary>
    /// Answer after <see cref="Task.Yield"/> (as a socket would, later) rather than at once. A handler that
    /// completes synchronously finishes each lone append before the next one is made, so concurrent
    /// appends never overlap and never share a POST.
    /// </summary>
    public bool CompleteAsynchronously { get; init; }

    /// <summary>Bytes of the last POST body, so the encoding cannot be optimised away.</summary>
    public long PostedBytes { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (CompleteAsynchronously) await Task.Yield();
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("Stream-Next-Offset", "0000000000000001_0000000000000100");
        if (request.Method == HttpMethod.Post)
        {
            // The body is written out, as a socket handler would: content that encodes while it is sent
            // does its work here, so every client pays for its encoding in full.
            var sink = new CountingSink();
            if (request.Content is not null) await request.Content.CopyToAsync(sink, cancellationToken).ConfigureAwait(false);
            PostedBytes = sink.Length;
            response.StatusCode = HttpStatusCode.NoContent;
            response.Content = new ByteArrayContent([]);
            return response;
        }

        var sse = request.RequestUri!.Query.Contains("live=sse", StringComparison.Ordinal);
        response.Content = new ByteArrayContent(sse ? SseBody : ReadBody);
        response.Content.Headers.ContentType = sse ? EventStream : Json;
        if (!sse) response.Headers.TryAddWithoutValidation("Stream-Up-To-Date", "true");
        return response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <summary>A write-only stream that keeps only the count of bytes written to it.</summary>
    private sealed class CountingSink : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Position += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
