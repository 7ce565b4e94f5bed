using System.Net;

namespace DurableStreams.Tests.Support;

/// <summary>
/// Delivers a body a few bytes per read (1 to <c>maxChunk</c>, varying), so that every JSON
/// token, UTF-8 sequence and SSE line ending gets split somewhere.
/// </summary>
internal sealed class TrickleStream(byte[] data, int maxChunk = 3, int seed = 1) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, _random.Next(1, maxChunk + 1)), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield(); // a real network read completes asynchronously
        cancellationToken.ThrowIfCancellationRequested();
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Response content whose stream trickles (see <see cref="TrickleStream"/>); length unknown, like chunked transfer.</summary>
internal sealed class TrickleContent(byte[] data, int maxChunk = 3, int seed = 1, long? declaredLength = null) : HttpContent
{
    /// <summary>The same bytes with a Content-Length header (the body's own length unless given).</summary>
    public static TrickleContent WithLength(byte[] data, int maxChunk = 3, int seed = 1, long? declaredLength = null) =>
        new(data, maxChunk, seed, declaredLength ?? data.Length);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new TrickleStream(data, maxChunk, seed));

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        using var source = new TrickleStream(data, maxChunk, seed);
        await source.CopyToAsync(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = declaredLength ?? 0;
        return declaredLength is not null;
    }
}

/// <summary>
/// A response body that yields <c>prefix</c> and then never ends on its own: reads wait until
/// cancelled. Records disposal, which is how the client releases the connection.
/// </summary>
internal sealed class HangingStream(byte[]? prefix = null) : Stream
{
    private readonly TaskCompletionSource _readPending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closed = new();
    private ReadOnlyMemory<byte> _prefix = prefix ?? [];

    /// <summary>Completes once a reader is waiting for bytes past the prefix.</summary>
    public Task ReadPending => _readPending.Task;

    /// <summary>Completes when the stream is disposed.</summary>
    public Task Disposed => _disposed.Task;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_prefix.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
        _readPending.TrySetResult();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(HangingStream));
        }
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closed.Cancel();
            _disposed.TrySetResult();
        }
        base.Dispose(disposing);
    }
}
