using System.Text;

namespace DurableStreams.Tests.Telemetry;

/// <summary>
/// Ends the first SSE response right after its first control event, as a proxy or a restarting
/// server would: the client must reconnect from the committed offset.
/// </summary>
internal sealed class SseCutHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _sse;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.Query.Contains("live=sse") != true || Interlocked.Increment(ref _sse) != 1) return response;
        var original = response.Content;
        var cut = new StreamContent(new CutAfterControl(await original.ReadAsStreamAsync(cancellationToken)));
        foreach (var header in original.Headers) cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = cut;
        return response;
    }

    private sealed class CutAfterControl(Stream inner) : Stream
    {
        private readonly StringBuilder _seen = new();
        private bool _ended;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_ended) return 0;
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read == 0) return 0;
            var before = _seen.Length;
            _seen.Append(Encoding.UTF8.GetString(buffer.Span[..read]));
            var control = _seen.ToString().IndexOf("event: control", StringComparison.Ordinal);
            var end = control < 0 ? -1 : _seen.ToString().IndexOf("\n\n", control, StringComparison.Ordinal);
            if (end < 0) return read;
            _ended = true;
            return Math.Min(read, end + 2 - before); // ASCII framing: characters are bytes
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
