using DurableStreams.Http;

namespace DurableStreams.Reading;

/// <summary>
/// The body of an SSE connection, counting the bytes read since the last control event. Data events
/// (and any event without its blank line) wait in memory until a control event commits them; a server
/// or proxy that never sends one would make that grow without bound, so past the limit the read fails
/// with <see cref="DurableStreamErrorCode.SseBufferOverflow"/>. The parser reads ahead, so the bound
/// holds to within one read of the underlying stream.
/// </summary>
internal class SsePendingLimitStream(Stream inner, long limit, Uri url, string offset) : ReadOnlyStream
{
    private long _pending;
    private string _offset = offset;

    /// <summary>The body of a traced connection carries its span; untraced ones stay a field smaller.</summary>
    public static SsePendingLimitStream Create(Stream inner, long limit, Uri url, string offset, System.Diagnostics.Activity? span) =>
        span is null ? new SsePendingLimitStream(inner, limit, url, offset) : new Traced(inner, limit, url, offset, span);

    /// <summary>The connection's span (see Telemetry/ReadTelemetry), ended when the connection closes.</summary>
    public System.Diagnostics.Activity? Span => (this as Traced)?.ConnectionSpan;

    private sealed class Traced(Stream inner, long limit, Uri url, string offset, System.Diagnostics.Activity span)
        : SsePendingLimitStream(inner, limit, url, offset)
    {
        public System.Diagnostics.Activity ConnectionSpan => span;
    }

    /// <summary>A control event committed everything before it (called with the offset it moved to).</summary>
    public void Committed(string offset)
    {
        Telemetry.ReadTelemetry.Received(url, _pending);
        _pending = 0;
        _offset = offset;
    }

    private int Count(int read)
    {
        _pending += read;
        if (_pending > limit)
            throw new DurableStreamProtocolException(
                $"SSE connection to {url.AbsolutePath} sent more than {limit} bytes after offset {_offset} without a control event " +
                $"(ReadOptions.{nameof(ReadOptions.MaxSsePendingBytes)}); the server or a proxy is not following the protocol.",
                DurableStreamErrorCode.SseBufferOverflow, null, url, new Offset(_offset));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
